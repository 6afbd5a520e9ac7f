## make.R -- writes expected.csv and expected_levels.csv with R 4.6 wilcox.test()
## reference values (one-sample signed rank test on paired changes, mu = 0),
## computed with the port in wilcox46.R under R 4.2.2.
##
## Run from this directory:  Rscript make.R
##
## Each case is a vector of changes (later - earlier).  Test call:
##   wilcox46(changes, conf.int = TRUE, conf.level = 0.95)
## (default exact = NULL, i.e. exact iff n < 50 counting zeros; correct = TRUE;
##  digits.rank = 7, digits.zap = 7).
## v42 / p42 = R 4.2.2's own  suppressWarnings(wilcox.test(changes))  (zeros dropped,
## normal approximation whenever there are ties or zeros).

if (!exists("wilcox46")) source("wilcox46.R")

## ---------------------------------------------------------------- case builders
## UCLA-3-like total score changes: integers -6..6, peaked at 0 (many zeros/ties),
## slight shift towards a decrease in loneliness.
ucla_prob <- c(1, 1, 2, 3, 5, 7, 9, 7, 5, 3, 2, 1, 1)
ucla <- function(n, seed) {                    # set.seed(seed); sample(-6:6, n, TRUE, ucla_prob)
    set.seed(seed); sample(-6:6, n, replace = TRUE, prob = ucla_prob)
}
ucla_nozero <- function(n, seed) {             # same without 0: sample(c(-6:-1, 1:6), n, TRUE, ucla_prob[-7])
    set.seed(seed); sample(c(-6:-1, 1:6), n, replace = TRUE, prob = ucla_prob[-7])
}
distinct <- function(n, seed) {                # round(rnorm(n, -0.4, 2), 6): no ties, no zeros
    set.seed(seed); x <- round(rnorm(n, -0.4, 2), 6)
    stopifnot(!anyDuplicated(abs(signif(x, 7))), all(x != 0))
    x
}

cases <- list()
add <- function(name, x) cases[[name]] <<- as.double(x)

## UCLA-like integer changes with ties and zeros
for (n in c(5, 10, 20, 30, 48, 49, 50, 51, 60, 120, 500))
    add(sprintf("ucla_n%d", n), ucla(n, 1000 + n))          # ucla(n, 1000 + n)
## same sizes, ties but no zeros
for (n in c(5, 10, 20, 30, 48, 49, 50, 51, 60, 120, 500))
    add(sprintf("ties_nozero_n%d", n), ucla_nozero(n, 2000 + n))  # ucla_nozero(n, 2000 + n)
## no ties, no zeros (distinct non-integers)
for (n in c(10, 30, 49, 50, 51))
    add(sprintf("distinct_n%d", n), distinct(n, 3000 + n))   # distinct(n, 3000 + n)
## zeros but no other ties
add("zeros_noties_n12", c(0, 0, 0, distinct(9, 4001)))      # c(0, 0, 0, distinct(9, 4001))
add("zeros_noties_n55", c(rep(0, 5), distinct(50, 4002)))   # c(rep(0, 5), distinct(50, 4002))
## all changes zero
for (n in c(1, 5, 49, 50, 60))
    add(sprintf("allzero_n%d", n), rep(0, n))                # rep(0, n)
## a single non-zero change
add("single_nonzero_n1", 2)                                 # 2
add("single_nonzero_n10", c(rep(0, 9), 3))                  # c(rep(0, 9), 3)
add("single_nonzero_n60", c(rep(0, 59), -4))                # c(rep(0, 59), -4)
## all changes equal and non-zero
add("allequal_n10", rep(2, 10))                             # rep(2, 10)
add("allequal_n60", rep(-1, 60))                            # rep(-1, 60)
## half-integer changes (prorated scores)
add("halfint_n8", c(1.5, -0.5, 2, 0, 1.5, -1, 0.5, 3))     # c(1.5, -0.5, 2, 0, 1.5, -1, 0.5, 3)
add("halfint_n20", { set.seed(5020); sample(seq(-6, 6, by = 0.5), 20, TRUE) })  # set.seed(5020); sample(seq(-6, 6, by = 0.5), 20, TRUE)
add("halfint_n60", { set.seed(5060); sample(seq(-6, 6, by = 0.5), 60, TRUE) })  # set.seed(5060); sample(seq(-6, 6, by = 0.5), 60, TRUE)
## floating-point noise: equal nominal differences that differ in the last bits.
## R 4.6 (digits.rank = 7) makes them tie, R 4.2.2 (digits.rank = Inf) does not.
later   <- c(12.3, 14.5, 11.2, 10.1, 13.4, 9.8, 15.6, 10.9, 12.7, 8.8, 11.1, 14.2)
earlier <- c(10.1, 12.3,  9.0, 11.2, 11.2, 7.6, 16.7, 12.0, 10.5, 9.9, 10.0, 15.3)
add("fpnoise_n12", later - earlier)     # c(12.3, 14.5, 11.2, ...) - c(10.1, 12.3, 9.0, ...)  (see 'later', 'earlier')
## as above plus nominal zeros that are not exactly zero: 0.1 + 0.2 - 0.3 etc.
## (zapsmall turns them into exact zeros in R 4.6)
add("fpnoise_zero_n15", c(later - earlier, (0.1 + 0.2) - 0.3, (0.7 + 0.1) - 0.8, 0.3 - (0.1 + 0.2)))
## zapsmall in the exact path: 1e-9-sized values beside values near 1 are zapped to 0
add("zap_tiny_n10", c(1e-9, -2e-9, 0.5, 1.2, -0.7, 2.1, 1.7, -1.3, 0.9, 3e-10))
## zapsmall uses the 75% quantile of |x|, not the max: an outlier does not zap 2e-5
add("zap_outlier_n10", c(1e6, 2e-5, -3e-5, 0.5, -0.7, 1.1, 0.8, -1.4, 2.2, 1.6))
## Hodges-Lehmann example from the issue
add("hl_issue", c(5, 0, 5, -5, 0))
## observed V exactly at the centre of the null distribution (p = 1)
add("centre_noties_n7", c(1, 2, -3, 4, -5, -6, 7))         # V = 14 = 7*8/4
add("centre_zeros_n6", c(0, 0, 1, -1, 2, -2))              # V = sum(z)/2
## exact/normal switch with many zeros (about 40% zeros), n = 48..52
for (n in 48:52)
    add(sprintf("switch_n%d", n),
        { set.seed(6000 + n); sample(-4:4, n, TRUE, prob = c(1, 2, 3, 4, 12, 4, 3, 2, 1)) })
        # set.seed(6000 + n); sample(-4:4, n, TRUE, prob = c(1, 2, 3, 4, 12, 4, 3, 2, 1))

## ---------------------------------------------------------------- evaluation
fmt <- function(v) {
    v <- unname(v)
    if (length(v) != 1L) stop("need a scalar")
    if (is.nan(v)) "NaN" else if (is.na(v)) "NA" else if (is.infinite(v)) { if (v > 0) "Inf" else "-Inf" }
    else sprintf("%.17g", v)
}

run_case <- function(x, conf.level = 0.95) {
    warns <- character()
    res <- withCallingHandlers(
        wilcox46(x, conf.int = TRUE, conf.level = conf.level),
        warning = function(w) { warns <<- c(warns, conditionMessage(w)); invokeRestart("muffleWarning") })
    old <- tryCatch(suppressWarnings(stats::wilcox.test(x)),
                    error = function(e) list(statistic = NA_real_, p.value = NA_real_))
    list(n = length(x), V = res$statistic, p = res$p.value,
         method = if (grepl("exact", res$method)) "exact" else "normal",
         estimate = res$estimate, ci_low = res$conf.int[1L], ci_high = res$conf.int[2L],
         cl = attr(res$conf.int, "conf.level"),
         v42 = old$statistic, p42 = old$p.value,
         warning = paste(unique(warns), collapse = "; "))
}

row_of <- function(name, x, r, conf.level = NULL) {
    ch <- paste(vapply(x, fmt, ""), collapse = " ")
    f <- c(name, ch, if (!is.null(conf.level)) fmt(conf.level), fmt(r$n), fmt(r$V), fmt(r$p), r$method,
           fmt(r$estimate), fmt(r$ci_low), fmt(r$ci_high), fmt(r$cl),
           fmt(r$v42), fmt(r$p42), r$warning)
    stopifnot(!grepl(",", f))
    paste(f, collapse = ",")
}

if (!isTRUE(getOption("wilcox46.no_write"))) {
    hdr <- "name,changes,n,V,p,method,estimate,ci_low,ci_high,conf_level_achieved,v42,p42,warning"
    rows <- vapply(names(cases), function(nm) {
        t0 <- proc.time()[[3]]
        r <- run_case(cases[[nm]])
        message(sprintf("%-22s n=%3d %s V=%s p=%s  (%.1fs)", nm, r$n, r$method, fmt(r$V), fmt(r$p),
                        proc.time()[[3]] - t0))
        row_of(nm, cases[[nm]], r)
    }, "")
    writeLines(c(hdr, rows), "expected.csv")

    lev_cases <- c("ucla_n10", "ucla_n30", "ucla_n49", "ucla_n60", "ties_nozero_n20",
                   "distinct_n30", "halfint_n20", "hl_issue", "fpnoise_n12", "switch_n50")
    hdr2 <- "name,changes,conf_level,n,V,p,method,estimate,ci_low,ci_high,conf_level_achieved,v42,p42,warning"
    rows2 <- unlist(lapply(lev_cases, function(nm)
        vapply(c(0.8, 0.99), function(cl) row_of(nm, cases[[nm]], run_case(cases[[nm]], cl), cl), "")))
    writeLines(c(hdr2, rows2), "expected_levels.csv")
}
