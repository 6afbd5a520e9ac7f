## verify.R -- independent checks of the R 4.6 port in wilcox46.R (run: Rscript verify.R)
##  A. dpermdist1 translation: loop == vectorised (bit-identical), == brute force, == dsignrank
##  B. no ties / no zeros: port == R 4.2.2 wilcox.test (V, p, exact CI, estimate)
##  C. exact p: port vs coin::wilcoxsign_test(distribution = "exact", zero.method = "Pratt")
##  D. exact p: port vs brute-force enumeration of all 2^n sign flips (n <= 16)
##  E. asymptotic p: port (exact = FALSE) vs hand-written Pratt normal approximation
##  F. values recorded in R's own tests / examples (r-svn) and SciPy's tests
##  G. expected.csv round trip: recomputing every row gives identical numbers
suppressPackageStartupMessages(library(coin))
source("wilcox46.R")
options(wilcox46.no_write = TRUE); source("make.R")      # defines 'cases', run_case(), fmt()
E <- wilcox46_env
out <- function(...) cat(sprintf(...), "\n", sep = "")
rel <- function(a, b) ifelse(a == b, 0, abs(a - b) / pmax(abs(a), abs(b)))

## ------------------------------------------------------------------ A
set.seed(1)
okA <- TRUE; maxA <- 0
for (it in 1:300) {
    n <- sample(1:40, 1)
    s <- sort(sample(1:(2 * n), n, replace = TRUE))
    a <- E$dpermdist1(s); b <- E$dpermdist1_loop(s)
    okA <- okA && identical(a, b)
    if (n <= 12) {                                   # brute force over all sign vectors
        V <- as.matrix(expand.grid(rep(list(0:1), n))) %*% s
        bf <- tabulate(V + 1, nbins = sum(s) + 1) / 2^n
        maxA <- max(maxA, abs(a - bf))
    }
}
dsr <- max(sapply(1:60, function(n) max(abs(E$dpermdist1(1:n) - dsignrank(0:(n*(n+1)/2), n)))))
out("A. dpermdist1 loop vs vectorised identical: %s; max |diff| vs brute force: %g; vs dsignrank (n<=60): %g",
    okA, maxA, dsr)
## dpermdist2 (two-sample, not used by the signed rank test) vs dwilcox, no ties
d2 <- max(sapply(2:12, function(m) { n <- 15 - m; d <- E$dpermdist2(1:(m + n), m)
    max(abs(d[(0:(m*n)) + m*(m+1)/2] - dwilcox(0:(m*n), m, n)), abs(d[seq_len(m*(m+1)/2 - 1)])) }))
out("   dpermdist2 (two-sample, unused here) vs dwilcox, m+n = 15: max |diff| %g", d2)

## ------------------------------------------------------------------ B
set.seed(2)
B <- data.frame()
for (it in 1:400) {
    n <- sample(1:49, 1)
    x <- round(rnorm(n, 0.3), 6)
    if (anyDuplicated(abs(signif(x, 7))) || any(x == 0)) next
    alt <- sample(c("two.sided", "less", "greater"), 1)
    cl <- sample(c(0.8, 0.9, 0.95, 0.99), 1)
    for (ex in c(TRUE, FALSE)) {
        a <- wilcox46(x, alternative = alt, conf.level = cl, exact = ex)
        aI <- wilcox46(x, alternative = alt, conf.level = cl, exact = ex, digits.rank = Inf)  # 4.2.2's default
        w42 <- character()
        b <- withCallingHandlers(stats::wilcox.test(x, alternative = alt, conf.int = TRUE, conf.level = cl, exact = ex),
                                 warning = function(w) { w42 <<- c(w42, conditionMessage(w)); invokeRestart("muffleWarning") })
        B <- rbind(B, data.frame(n = n, alt = alt, cl = cl, exact = ex, warn42 = length(w42) > 0,
            sameV = identical(unname(a$statistic), unname(b$statistic)),
            sameP = identical(a$p.value, b$p.value), relP = rel(a$p.value, b$p.value),
            sameCI = identical(as.vector(a$conf.int), as.vector(b$conf.int)),
            relCI = max(0, rel(a$conf.int, b$conf.int), na.rm = TRUE),
            sameEst = identical(unname(a$estimate), unname(b$estimate)),
            relEst = rel(unname(a$estimate), unname(b$estimate)),
            sameCI_Inf = identical(as.vector(aI$conf.int), as.vector(b$conf.int)),
            sameEst_Inf = identical(unname(aI$estimate), unname(b$estimate)),
            relP_Inf = rel(aI$p.value, b$p.value),
            qu0 = ex && (if (alt == "two.sided") qsignrank((1 - cl)/2, n) else qsignrank(1 - cl, n)) == 0))
    }
}
X <- B[B$exact, ]; A <- B[!B$exact, ]
out("B. no ties/zeros, n<50, random alternative & conf.level, vs R 4.2.2 wilcox.test:")
out("   exact=TRUE  (%d runs): V identical %d, p identical %d, estimate identical %d, CI identical %d",
    nrow(X), sum(X$sameV), sum(X$sameP), sum(X$sameEst), sum(X$sameCI))
out("      CI differs only where qsignrank(alpha[/2], n) == 0 (4.6 returns (-Inf, Inf) at level 1, 4.2.2 uses diffs[1]): %s (%d runs differ, %d runs have qu == 0)",
    all(X$sameCI | X$qu0), sum(!X$sameCI), sum(X$qu0))
out("   exact=FALSE (%d runs): V identical %d, p identical %d (max rel diff %.2g), CI identical %d (max rel %.2g), estimate identical %d (max rel %.2g)",
    nrow(A), sum(A$sameV), sum(A$sameP), max(A$relP), sum(A$sameCI), max(A$relCI), sum(A$sameEst), max(A$relEst))
out("      with digits.rank = Inf (4.2.2's default): CI identical %d, estimate identical %d, p max rel diff %.2g",
    sum(A$sameCI_Inf), sum(A$sameEst_Inf), max(A$relP_Inf))
out("      (asymptotic estimate/CI = uniroot() on a step function: digits.rank = 7 moves where it lands; p differs only in last bits: 4.6 uses 2*min(p, 1-p) and MEAN*(2n+1)/6)")
## B2: the same without the psignrank floor() shim (i.e. R 4.2.2's psignrank) would differ:
x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30) - c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)
out("   (shim needed: stats::psignrank(40 - 1/4, 9, lower=FALSE) = %g (4.2.2 rounds), 4.6 = %g)",
    stats::psignrank(40 - 1/4, 9, lower.tail = FALSE), E$psignrank(40 - 1/4, 9, lower.tail = FALSE))
## B3: exact CI, classic path (z = NULL) vs the ties/zeros path (z = ranks) on tie-free data
set.seed(3); nlow <- 0; nup <- 0; ncl <- 0; nB3 <- 0
for (it in 1:100) {
    n <- sample(5:30, 1); x <- round(rnorm(n, 0.3), 4)
    if (anyDuplicated(abs(x)) || any(x == 0)) next
    cl <- sample(c(0.8, 0.9, 0.95), 1); nB3 <- nB3 + 1
    a <- E$.wilcox_test_one_cint_exact(x, n, NULL, "two.sided", cl, 7L, 7L)
    b <- E$.wilcox_test_one_cint_exact(x, n, rank(abs(x)), "two.sided", cl, 7L, 7L)
    nlow <- nlow + (a$conf.int[1] != b$conf.int[1]); nup <- nup + (a$conf.int[2] != b$conf.int[2])
    ncl <- ncl + (attr(a$conf.int, "conf.level") != attr(b$conf.int, "conf.level"))
}
out("B3. tie-free data, exact CI via z-path vs classic path: lower differs %d/%d, upper differs %d/%d, conf.level differs %d/%d",
    nlow, nB3, nup, nB3, ncl, nB3)

## ------------------------------------------------------------------ C, D, E
pratt_asymp <- function(x, correct = TRUE) {
    x <- signif(x, 7); x <- E$.zapsmall.r(x, 7)       # same preprocessing as R 4.6
    r <- rank(abs(x)); nz <- x != 0
    V <- sum(r[x > 0]); m <- sum(r[nz]) / 2; s <- sqrt(sum(r[nz]^2) / 4)
    if (s == 0) return(c(V = V, p = 1))
    d <- V - m; if (correct) d <- d - 0.5 * sign(d)
    c(V = V, p = min(1, 2 * min(pnorm(d / s), pnorm(d / s, lower.tail = FALSE))))
}
brute <- function(x) {
    x <- signif(x, 7); x <- E$.zapsmall.r(x, 7)
    r <- rank(abs(x)); v <- sum(r[x > 0]); z <- r[x != 0]
    if (!length(z)) return(1)
    V <- as.vector(as.matrix(expand.grid(rep(list(0:1), length(z)))) %*% z)
    min(1, 2 * min(mean(V <= v + 1e-9), mean(V >= v - 1e-9)))
}
coin_p <- function(x) {
    d <- data.frame(y = x, x = 0)
    tryCatch(pvalue(wilcoxsign_test(y ~ x, data = d, distribution = "exact", zero.method = "Pratt")),
             error = function(e) NA_real_)
}
resC <- data.frame(); resE <- data.frame()
for (nm in names(cases)) {
    x <- cases[[nm]]; n <- length(x)
    if (n <= 120) {
        pe <- wilcox46(x, exact = TRUE, conf.int = FALSE)$p.value
        xz <- E$.zapsmall.r(signif(x, 7), 7)  # R 4.6 preprocessing; coin has no digits.rank / zapsmall
        pc <- coin_p(xz)
        pc_raw <- coin_p(x)
        pb <- if (sum(E$.zapsmall.r(signif(x, 7), 7) != 0) <= 16) brute(x) else NA
        resC <- rbind(resC, data.frame(name = nm, n = n, port = pe, coin = as.numeric(pc), coin_raw = as.numeric(pc_raw), brute = pb))
    }
    pa <- wilcox46(x, exact = FALSE, conf.int = FALSE)
    h <- pratt_asymp(x)
    resE <- rbind(resE, data.frame(name = nm, n = n, Vport = unname(pa$statistic), Vhand = h[["V"]],
                                   port = pa$p.value, hand = h[["p"]]))
}
ok <- !is.na(resC$coin)
out("C. exact p (exact=TRUE, all %d cases with n <= 120): coin available for %d; max abs diff %.3g, max rel diff %.3g",
    nrow(resC), sum(ok), max(abs(resC$port - resC$coin)[ok]), max(rel(resC$port, resC$coin)[ok]))
if (any(!ok)) out("   coin failed (error) for: %s", paste(resC$name[!ok], collapse = ", "))
big <- ok & abs(resC$port - resC$coin) > 1e-12
if (any(big)) print(resC[big, ])
raw <- !is.na(resC$coin_raw) & abs(resC$port - resC$coin_raw) > 1e-12
out("   coin on the raw (not signif/zapsmall'ed) changes differs for: %s",
    paste(sprintf("%s (port %.6g, coin %.6g)", resC$name[raw], resC$port[raw], resC$coin_raw[raw]), collapse = ", "))
okb <- !is.na(resC$brute)
out("D. exact p vs brute-force 2^n enumeration (%d cases with <= 16 non-zeros): max abs diff %.3g",
    sum(okb), max(abs(resC$port - resC$brute)[okb]))
out("E. asymptotic p (exact=FALSE, all %d cases): V identical: %s; max abs diff %.3g, max rel diff %.3g",
    nrow(resE), identical(resE$Vport, resE$Vhand), max(abs(resE$port - resE$hand)), max(rel(resE$port, resE$hand)))

## ------------------------------------------------------------------ F
chk <- function(label, got, want, tol = 0) {
    got <- unname(got); want <- unname(want)
    okk <- if (tol == 0) isTRUE(all.equal(got, want, tolerance = 0)) || identical(got, want) else isTRUE(all.equal(got, want, tolerance = tol))
    out("   %-62s got %s want %s  %s", label, paste(signif(got, 10), collapse = " "),
        paste(want, collapse = " "), if (okk) "OK" else "DIFF")
}
out("F. R's tests/examples (r-svn HEAD) and SciPy 1.17.1 tests")
x <- c(1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30)
y <- c(0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29)
we <- wilcox46(y, x, paired = TRUE)
chk("reg-tests-1a.R:1165 round(p,4) == 0.0391", round(we$p.value, 4), 0.0391)
chk("reg-tests-1a.R:1166 round(conf.int,3) == c(-0.786,-0.010)", round(as.vector(we$conf.int), 3), c(-0.786, -0.010))
chk("reg-tests-1a.R:1167 round(estimate,3) == -0.46", round(unname(we$estimate), 3), -0.46)
chk("stats-Ex.Rout.save: x,y paired greater: p 0.01953", signif(wilcox46(x, y, paired = TRUE, alternative = "greater")$p.value, 4), 0.01953)
chk("stats-Ex.Rout.save: y-x less exact=F correct=F: p 0.01908", signif(wilcox46(y - x, alternative = "less", exact = FALSE, correct = FALSE)$p.value, 4), 0.01908)
w <- wilcox46(-2:12, exact = TRUE)
chk("stats-Ex: -2:12 exact: V 112 p 0.001465 CI 2.5 7.5 (95.5%) est 5",
    c(w$statistic, signif(w$p.value, 4), w$conf.int, round(100 * attr(w$conf.int, "conf.level"), 1), w$estimate),
    c(112, 0.001465, 2.5, 7.5, 95.5, 5))
w <- wilcox46(c(-2:11, 1000), exact = FALSE)
chk("stats-Ex: c(-2:11,1000) exact=F: p 0.003119 CI 2.000036 8.500017 est 5.000039",
    signif(c(w$p.value, w$conf.int, w$estimate), c(4, 7, 7, 7)), c(0.003119, 2.000036, 8.500017, 5.000039))
chk("stats-Ex: (4:2)/10 vs (3:1)/10 paired: V 6, p 0.25",
    c(wilcox46((4:2)/10, (3:1)/10, paired = TRUE, conf.int = FALSE)$statistic,
      wilcox46((4:2)/10, (3:1)/10, paired = TRUE, conf.int = FALSE)$p.value), c(6, 0.25))
x3 <- c(1.1, 2, 1.15)
pv <- c(wilcox46(c(x3, 0), conf.int = FALSE)$p.value,
        wilcox46(c(x3, 1e-100), digits.rank = Inf, conf.int = FALSE)$p.value,
        wilcox46(c(x3, -1e-100), digits.rank = Inf, conf.int = FALSE)$p.value,
        wilcox46(c(x3, 1e-100), digits.rank = Inf, digits.zap = 12, conf.int = FALSE)$p.value,
        wilcox46(c(x3, -1e-100), digits.rank = Inf, digits.zap = 12, conf.int = FALSE)$p.value,
        wilcox46(c(x3, 1e-100), digits.rank = 7L, conf.int = FALSE)$p.value,
        wilcox46(c(x3, -1e-100), digits.rank = 7L, conf.int = FALSE)$p.value)
chk("reg-tests-1e.R:3409 pvals == c(.25, .125, rep(.25, 5))", pv, c(.25, .125, rep(.25, 5)))
x20 <- c(-231, -150, -143, -101, -82, -76, -56, -40, -29, -20, 15, 41, 45, 61, 69, 86, 98, 144, 163, 219)
corrs <- list(FALSE, TRUE, 1L, 2L, 3L)
roundM <- function(x, dig = 4) round(x, digits = max(1, dig + round(-log10(min(abs(x))))))
pv1 <- c(sapply(corrs, function(cr) wilcox46(x20, exact = FALSE, correct = cr, conf.int = FALSE)$p.value),
         wilcox46(x20, exact = TRUE, conf.int = FALSE)$p.value)
chk("reg-tests-1e.R:3341 trA1[,1] (x20: correct F,T,1,2,3, exact)", roundM(pv1),
    c(0.9405, 0.9553, 0.9563, 0.9565, 0.9563, 0.9563))
## SciPy (scipy/stats/tests/test_morestats.py, scipy 1.17.1)
chk("SciPy test_pratt: d=c(0,0,0,-1) pratt asympt. correct=F p", wilcox46(c(1,2,3,4), c(1,2,3,5), paired = TRUE, exact = FALSE, correct = FALSE, conf.int = FALSE)$p.value,
    0.31731050786291415, 1e-15)
d <- rep(-4:4, c(1, 4, 16, 15, 8, 4, 5, 1, 2))
wa <- wilcox46(d, exact = FALSE, correct = FALSE, conf.int = FALSE)   # n = 56
chk("SciPy test_accuracy_wilcoxon pratt: T=423 (=min(V+,V-)), p", c(min(wa$statistic, sum(rank(abs(d))[d != 0]) - wa$statistic), wa$p.value),
    c(423, 0.0031724568006762576), 1e-12)
d <- -5:7; d[d == 0] <- 1
wt <- wilcox46(d, conf.int = FALSE)
chk("SciPy test_auto_permutation_edge_case ties (d=-5:7, 0->1): p", wt$p.value, 0.3779296875, 1e-15)
wz <- wilcox46(-5:7, conf.int = FALSE)
out("   SciPy same test with the zero kept, zero_method='wilcox' (drops zero): w=27.5, p=0.3955078125;")
out("     not comparable -- R 4.6 (Pratt, exact conditional) gives V=%g p=%.10g", wz$statistic, wz$p.value)
x <- c(1.81, 0.82, 1.56, -0.48, 0.81, 1.28, -1.04, 0.23, -0.75, 0.14)
y <- c(0.71, 0.65, -0.2, 0.85, -1.1, -0.45, -0.84, -0.24, -0.68, -0.76)
chk("SciPy test_exact_pval (R 4.0.3 values): two-sided/less/greater",
    sapply(c("two.sided", "less", "greater"), function(a) wilcox46(x, y, paired = TRUE, alternative = a, conf.int = FALSE)$p.value),
    c(0.10546875, 0.95800781256, 0.052734375), 1e-10)

## ------------------------------------------------------------------ G
csv <- read.csv("expected.csv", colClasses = "character")
bad <- 0
for (i in seq_len(nrow(csv))) {
    x <- as.numeric(strsplit(csv$changes[i], " ")[[1]])
    stopifnot(identical(x, cases[[csv$name[i]]]))
    r <- run_case(x)
    got <- c(fmt(r$V), fmt(r$p), fmt(r$estimate), fmt(r$ci_low), fmt(r$ci_high), fmt(r$cl))
    if (!identical(got, unname(unlist(csv[i, c("V", "p", "estimate", "ci_low", "ci_high", "conf_level_achieved")])))) bad <- bad + 1
}
out("G. expected.csv: %d rows, changes round-trip exactly, recomputed rows differing: %d", nrow(csv), bad)
agree42 <- with(csv, name[V == v42 & p == p42])
out("   rows where R 4.6 (V, p) == R 4.2.2 exactly: %s", paste(agree42, collapse = " "))
