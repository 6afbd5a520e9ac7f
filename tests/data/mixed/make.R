# Reference data and expected values for the linear mixed model
#   score ~ time + (1 | id), REML, time = factor(pre, post, followup)
# Run from this directory:  Rscript make.R
# Written with R 4.2.2, lme4 1.1-31, lmerTest 3.1-3.
#
# Part 1 simulates the CSV files (long format: id,time,score).
# Part 1b writes small adversarial CSV files given literally (no random numbers, so the
# random streams of part 1 are untouched).
# Part 2 reads each CSV back (so R fits exactly the numbers in the file)
# and writes <name>.expected.txt.

suppressPackageStartupMessages(library(lmerTest))

## ---------------------------------------------------------------- part 1

clamp <- function(x, lo, hi) pmin(pmax(x, lo), hi)
make_ids <- function(n) sprintf("P%03d", seq_len(n))
pick <- function(x, k) x[sample.int(length(x), k)]

# Which of pre/post/followup each person has (n x 3 logical matrix).
presence <- function(n, p_post, p_follow, n_nopre, n_single_min = 3) {
  has <- cbind(pre = rep(TRUE, n),
               post = runif(n) < p_post,
               followup = runif(n) < p_follow)
  # a few people have post but no pre: drop their pre
  if (n_nopre > 0) has[pick(which(has[, "post"]), n_nopre), "pre"] <- FALSE
  # at least n_single_min people with only one observation
  single <- rowSums(has) == 1
  if (sum(single) < n_single_min) {
    extra <- pick(which(!single & has[, "pre"]), n_single_min - sum(single))
    has[extra, c("post", "followup")] <- FALSE
  }
  has
}

to_long <- function(id, has, scores) {
  tm <- c("pre", "post", "followup")
  rows <- lapply(seq_along(id), function(i) {
    j <- which(has[i, ])
    data.frame(id = id[i], time = tm[j], score = scores[i, j])
  })
  do.call(rbind, rows)
}

write_long <- function(d, file, fmt) {
  writeLines(c("id,time,score", paste(d$id, d$time, fmt(d$score), sep = ",")), file)
}
fmt_int <- function(x) sprintf("%d", as.integer(round(x)))
fmt_frac <- function(x) sprintf("%.16g", x)

# Integer scores: latent person level, pre around it, post ~shift[2], followup ~shift[3].
sim_int <- function(n, mean, sd_person, sd_noise, shift, lo, hi,
                    p_post, p_follow, n_nopre) {
  level <- rnorm(n, mean, sd_person)
  scores <- sapply(1:3, function(k) level + shift[k] + rnorm(n, 0, sd_noise))
  scores <- clamp(round(scores), lo, hi)
  has <- presence(n, p_post, p_follow, n_nopre)
  to_long(make_ids(n), has, scores)
}

# a.csv: 40 people, UCLA-3-like integer scores 3..9
set.seed(101)
a <- sim_int(40, mean = 6, sd_person = 1.3, sd_noise = 1, shift = c(0, -1, -0.5),
             lo = 3, hi = 9, p_post = 0.8, p_follow = 0.5, n_nopre = 3)
write_long(a, "a.csv", fmt_int)

# b.csv: 300 people, UCLA-20-like integer scores 20..80
set.seed(202)
b <- sim_int(300, mean = 48, sd_person = 10, sd_noise = 6, shift = c(0, -5, -2.5),
             lo = 20, hi = 80, p_post = 0.7, p_follow = 0.4, n_nopre = 10)
write_long(b, "b.csv", fmt_int)

# singular.csv: 30 people with no person effect; try seeds until the fit is singular
for (seed in 1:1000) {
  set.seed(seed)
  s <- sim_int(30, mean = 6, sd_person = 0, sd_noise = 1.3, shift = c(0, -1, -0.5),
               lo = 3, hi = 9, p_post = 0.8, p_follow = 0.5, n_nopre = 2)
  s$time <- factor(s$time, levels = c("pre", "post", "followup"))
  ms <- suppressMessages(lmer(score ~ time + (1 | id), data = s, REML = TRUE))
  if (isSingular(ms)) break
}
singular_seed <- seed
write_long(s, "singular.csv", fmt_int)

# nofollowup.csv: 25 people, pre and/or post only
set.seed(303)
nf <- sim_int(25, mean = 6, sd_person = 1.3, sd_noise = 1, shift = c(0, -1, -0.5),
              lo = 3, hi = 9, p_post = 0.8, p_follow = 0, n_nopre = 3)
write_long(nf, "nofollowup.csv", fmt_int)

# fractional.csv: 50 people, score = mean of 3 items scored 1..3
set.seed(404)
n <- 50
level <- rnorm(n, 0, 0.4)
shift <- c(0, -0.3, -0.15)
scores <- sapply(1:3, function(k) {
  y <- 2 + level + shift[k] + rnorm(n, 0, 0.3)
  items <- sapply(1:3, function(i) clamp(round(y + rnorm(n, 0, 0.5)), 1, 3))
  rowMeans(items)
})
has <- presence(n, p_post = 0.8, p_follow = 0.5, n_nopre = 3)
fr <- to_long(make_ids(n), has, scores)
write_long(fr, "fractional.csv", fmt_frac)

## ---------------------------------------------------------------- part 1b
# Small data sets for the edge cases of finding theta. Each is given literally as
# pre/post(/followup) score vectors, one entry per person (NA = no score at that time).
# They were picked by exhaustive/random searches over 3-8 people with scores 3..9
# (the property each one has is stated in its expected file, with the REML criterion
# at theta = 0 and at the optimum).

write_small <- function(file, pre, post, followup = NULL) {
  id <- make_ids(length(pre))
  sc <- cbind(pre = pre, post = post, followup = if (is.null(followup)) NA else followup)
  has <- !is.na(sc)
  write_long(to_long(id, has, sc), file, fmt_int)
}

# tiny_interior.csv: the issue's group. d/d(theta^2) of the REML criterion is exactly 0 at
# theta = 0 (-2.7e-15 in floating point) and negative beyond: the minimum is interior.
write_small("tiny_interior.csv", pre = c(9, 6, 9), post = c(4, NA, 6))
# flat_singular.csv: same layout; the derivative at 0 is exactly 0 (-4.4e-16 in floating
# point) but positive beyond: the minimum is at theta = 0 (truly singular).
write_small("flat_singular.csv", pre = c(9, 6, 5), post = c(4, NA, 4))
# nonconvex.csv: derivative > 0 at theta = 0 (a local minimum there), a local maximum near
# theta = 0.39 and a lower interior minimum near theta = 2.2 (lmer's default finds it).
write_small("nonconvex.csv", pre = c(9, 4, 5), post = c(NA, 7, 6))
# nonconvex_stuck.csv: as nonconvex.csv, but the local maximum is near theta = 1.1, beyond
# lmer's start theta = 1, so lmer's default (and tight) fit stops at the boundary theta = 0;
# the global minimum is near theta = 6.6.
write_small("nonconvex_stuck.csv", pre = c(4, 8, 9, NA), post = c(NA, 4, 4, 8))
# near_zero.csv: interior minimum close to 0 (theta about 0.04).
write_small("near_zero.csv", pre = c(8, 4, 6, NA, 9, 8, 6, 4), post = c(7, 6, 6, 7, 6, NA, 5, 7))
# large_theta.csv: person effect dominates (UCLA-20-like scores 20..80, nearly identical
# within people): theta about 79.
write_small("large_theta.csv", pre = c(20, 80, 35, 60, 45, 70, 25), post = c(20, 79, 35, 60, NA, 70, 25))
# small3.csv: pre/post/followup, 5 people, 3 missing scores.
write_small("small3.csv", pre = c(7, 5, 8, NA, 6), post = c(5, NA, 6, 4, 5), followup = c(6, 4, NA, 5, 7))

## ---------------------------------------------------------------- part 2

f17 <- function(x) sprintf("%.17g", x)

code_default <- 'm <- lmer(score ~ time + (1 | id), data = d, REML = TRUE)'
code_tight <- paste0('m <- lmer(score ~ time + (1 | id), data = d, REML = TRUE, ',
                     'control = lmerControl(optimizer = "nloptwrap", optCtrl = list(',
                     'xtol_abs = 1e-14, ftol_abs = 1e-14, xtol_rel = 0, ',
                     'ftol_rel = 1e-15, maxeval = 1e5)))')

# Fit with code string `code`, collecting warnings/messages.
fit <- function(d, code, theta_exact = NULL) {
  notes <- character()
  m <- withCallingHandlers(
    eval(parse(text = code)),
    warning = function(w) { notes <<- c(notes, paste("warning:", conditionMessage(w)));
                            invokeRestart("muffleWarning") },
    message = function(msg) { notes <<- c(notes, paste("message:", trimws(conditionMessage(msg))));
                              invokeRestart("muffleMessage") })
  list(m = m, notes = notes)
}

# All reported values as a list of (key, named numeric vector) plus printable lines.
report <- function(m, Ls, Lnames) {
  vc <- as.data.frame(VarCorr(m))
  vals <- list(
    theta = unname(getME(m, "theta")),
    sigma = sigma(m),
    var_id = vc$vcov[vc$grp == "id"],
    var_residual = vc$vcov[vc$grp == "Residual"],
    remlcrit = unname(REMLcrit(m))
  )
  cf <- summary(m)$coefficients
  cf_rows <- lapply(rownames(cf), function(r) cf[r, ])
  names(cf_rows) <- rownames(cf)
  ct_rows <- lapply(seq_along(Ls), function(i) {
    ct <- contest(m, Ls[[i]], joint = FALSE, confint = TRUE, level = 0.95)
    unlist(ct[1, c("Estimate", "Std. Error", "df", "t value", "lower", "upper", "Pr(>|t|)")])
  })
  names(ct_rows) <- Lnames
  list(vals = vals, cf = cf_rows, ct = ct_rows,
       singular = isSingular(m), nobs = nobs(m), ngroups = unname(ngrps(m)["id"]),
       feval = m@optinfo$feval, optmsg = m@optinfo$message)
}

lines_for <- function(r, code) {
  c(paste0("# ", code),
    "# getME(m, \"theta\")",            paste("theta", f17(r$vals$theta)),
    "# sigma(m)",                        paste("sigma", f17(r$vals$sigma)),
    "# as.data.frame(VarCorr(m))$vcov (grp == \"id\", then grp == \"Residual\")",
    paste("var_id", f17(r$vals$var_id)),
    paste("var_residual", f17(r$vals$var_residual)),
    "# REMLcrit(m)",                     paste("remlcrit", f17(r$vals$remlcrit)),
    "# isSingular(m)",                   paste("is_singular", r$singular),
    "# nobs(m); ngrps(m)[\"id\"]",
    paste("nobs", r$nobs), paste("ngroups", r$ngroups),
    paste0("# optimizer feval = ", r$feval, "; message = ", r$optmsg),
    "# summary(m)$coefficients  (Satterthwaite df)",
    "# columns: term Estimate Std.Error df t_value Pr(>|t|)",
    unlist(lapply(names(r$cf), function(k) paste("coef", k, paste(f17(r$cf[[k]]), collapse = " ")))),
    "# contest(m, L, joint = FALSE, confint = TRUE, level = 0.95)",
    "# columns: L Estimate Std.Error df t_value lower upper Pr(>|t|)",
    unlist(lapply(names(r$ct), function(k) paste("contest", k, paste(f17(r$ct[[k]]), collapse = " ")))))
}

# |a - b| / |b|; |a - b| when b == 0; 0 when identical.
reldiff <- function(a, b) {
  out <- ifelse(b == 0, abs(a - b), abs(a - b) / abs(b))
  out[a == b] <- 0
  out
}

# Relative differences laid out like the value lines, plus maxima.
diff_lines <- function(ra, rb, label, full = TRUE) {
  sc <- sapply(names(ra$vals), function(k) reldiff(ra$vals[[k]], rb$vals[[k]]))
  cf <- lapply(names(ra$cf), function(k) reldiff(ra$cf[[k]], rb$cf[[k]]))
  ct <- lapply(names(ra$ct), function(k) reldiff(ra$ct[[k]], rb$ct[[k]]))
  all <- c(sc, unlist(cf), unlist(ct))
  nop <- c(sc, unlist(lapply(cf, function(x) x[1:4])), unlist(lapply(ct, function(x) x[1:6])))
  c(paste0("# ", label, ": |a - b| / |b| (|a - b| when b == 0; 0 when identical)"),
    if (full) c(
      paste(names(sc), f17(sc)),
      unlist(Map(function(k, x) paste("coef", k, paste(f17(x), collapse = " ")), names(ra$cf), cf)),
      unlist(Map(function(k, x) paste("contest", k, paste(f17(x), collapse = " ")), names(ra$ct), ct))),
    paste("max_reldiff", f17(max(all))),
    paste("max_reldiff_excluding_p", f17(max(nop))),
    paste("absdiff_theta", f17(abs(ra$vals$theta - rb$vals$theta))))
}

# Exact REML optimum for score ~ time + (1 | id): the global minimum over theta >= 0 of the
# profiled REML criterion. Its derivative in lambda = theta^2 is
#   d/dlambda = tr(P Z Z') - (n - p) * y'P Z Z' P y / y'P y,
# with V = I + lambda Z Z' (V_i^{-1} = I - c_i 11', c_i = lambda / (1 + lambda n_i)).
reml_grad <- function(d, lam) {
  X <- model.matrix(~ time, d); y <- d$score; n <- nrow(X); p <- ncol(X)
  gs <- split(seq_len(n), d$id)
  XVX <- matrix(0, p, p); XVy <- numeric(p)
  for (ix in gs) {
    ni <- length(ix); ci <- lam / (1 + lam * ni); Xi <- X[ix, , drop = FALSE]; sx <- colSums(Xi)
    XVX <- XVX + crossprod(Xi) - ci * tcrossprod(sx)
    XVy <- XVy + drop(crossprod(Xi, y[ix])) - ci * sx * sum(y[ix])
  }
  r <- drop(y - X %*% solve(XVX, XVy))
  tr <- 0; rss <- 0; q <- 0; M <- matrix(0, p, p)
  for (ix in gs) {
    ni <- length(ix); ci <- lam / (1 + lam * ni); Xi <- X[ix, , drop = FALSE]; ri <- r[ix]
    tr <- tr + ni * (1 - ci * ni)                 # 1' V_i^{-1} 1
    M <- M + tcrossprod(colSums(Xi) * (1 - ci * ni))  # X_i' V_i^{-1} 1 (outer product)
    Pyi <- ri - ci * sum(ri)
    rss <- rss + sum(ri * Pyi); q <- q + sum(Pyi)^2
  }
  tr - sum(solve(XVX) * M) - (n - p) * q / rss
}
# The derivative is evaluated on a grid (theta = 0 and 10^seq(-6, 3, by = 0.01)); every
# upward sign change is a local minimum, polished by uniroot on the derivative (tol = 1e-300,
# i.e. to the last bits) over the widest grid interval around it with no other sign change
# (0..100 in lambda when that holds, the bracket make.R used before). theta = 0 is always a
# candidate; lme4's own REML deviance (devFunOnly = TRUE) picks the lowest candidate, and an
# interior candidate must beat theta = 0 by more than 1e-10 (else the fit is singular).
theta_grid <- c(0, 10^seq(-6, 3, by = 0.01))
devfun_at <- function(d, theta)
  lmer(score ~ time + (1 | id), data = d, REML = TRUE, devFunOnly = TRUE)(theta)
exact_theta <- function(d) {
  devfun <- lmer(score ~ time + (1 | id), data = d, REML = TRUE, devFunOnly = TRUE)
  lam <- theta_grid^2
  K <- length(lam)
  g <- vapply(lam, function(l) reml_grad(d, l), 0)
  if (g[K] < 0) stop("the REML criterion is still falling at theta = 1e3")
  up <- which(g[-K] < 0 & g[-1] >= 0)   # a local minimum in (lam[k], lam[k + 1]]
  dn <- which(g[-K] >= 0 & g[-1] < 0)   # a local maximum in (lam[k], lam[k + 1]]
  roots <- vapply(up, function(k) {
    lo <- if (any(dn < k)) lam[max(dn[dn < k]) + 1] else 0
    hi <- if (any(dn > k)) lam[min(dn[dn > k])] else lam[K]
    if (lo == 0 && lam[k + 1] <= 100 && hi > 100 && reml_grad(d, 100) >= 0) hi <- 100
    sqrt(uniroot(function(l) reml_grad(d, l), c(lo, hi), tol = 1e-300, maxiter = 1000)$root)
  }, 0)
  cand <- c(0, roots)
  crit <- vapply(cand, function(t) devfun(t), 0)
  best <- which.min(crit)
  if (crit[best] > crit[1] - 1e-10) best <- 1
  list(theta = cand[best], candidates = cand, crit = crit, grad0 = g[1])
}

code_exact <- paste0('m <- lmer(score ~ time + (1 | id), data = d, REML = TRUE, ',
                     'start = list(theta = theta_exact), control = lmerControl(optimizer = NULL))')

expected <- function(name, levels, about = NULL) {
  file <- paste0(name, ".csv")
  d <- read.csv(file, stringsAsFactors = FALSE)
  d$time <- factor(d$time, levels = levels)
  Ls <- if (length(levels) == 3) list(c(1, 0, 0), c(1, 1, 0), c(1, 0, 1)) else list(c(1, 0), c(1, 1))
  Lnames <- sapply(Ls, paste, collapse = ",")
  fd <- fit(d, code_default)
  ft <- fit(d, code_tight)
  rd <- report(fd$m, Ls, Lnames)
  rt <- report(ft$m, Ls, Lnames)
  ex <- exact_theta(d)
  th <- ex$theta
  fe <- fit(d, code_exact, theta_exact = th)
  re <- report(fe$m, Ls, Lnames)
  out <- c(
    paste0("# ", name, ".expected.txt -- generated by make.R; ", R.version.string,
           ", lme4 ", packageVersion("lme4"), ", lmerTest ", packageVersion("lmerTest")),
    "# numbers printed with sprintf(\"%.17g\", x)",
    "# library(lmerTest)",
    paste0("# d <- read.csv(\"", file, "\", stringsAsFactors = FALSE)"),
    paste0("# d$time <- factor(d$time, levels = c(", paste0("\"", levels, "\"", collapse = ", "), "))"),
    paste0("# L in list(", paste0("c(", Lnames, ")", collapse = ", "), ")"),
    if (name == "singular") paste0("# data simulated with set.seed(", singular_seed,
                                   "): first seed in 1:1000 whose default fit has isSingular(m) TRUE"),
    if (length(about)) paste("# case:", about),
    "",
    "[default]",
    if (length(fd$notes)) paste("#", fd$notes),
    lines_for(rd, code_default),
    "",
    "[tight]",
    if (length(ft$notes)) paste("#", ft$notes),
    lines_for(rt, code_tight),
    "",
    "[exact]",
    "# theta_exact = global minimum over theta >= 0 of the REML criterion (see exact_theta() in",
    "# make.R: grid of d(REMLcrit)/d(theta^2), each local minimum polished by uniroot, lowest",
    "# REMLcrit wins, theta = 0 included); the model is then built at that theta without optimising:",
    paste("# theta_exact =", f17(th), "; derivative at theta_exact^2:", f17(reml_grad(d, th^2))),
    paste("# derivative at theta = 0:", f17(ex$grad0)),
    paste("# REMLcrit at theta = 0:", f17(ex$crit[1]), "; at theta_exact:", f17(devfun_at(d, th))),
    paste0("# candidates (theta: REMLcrit): ",
           paste(f17(ex$candidates), f17(ex$crit), sep = ": ", collapse = "; ")),
    if (length(fe$notes)) paste("#", fe$notes),
    lines_for(re, code_exact),
    "",
    "[reldiff]",
    diff_lines(rd, rt, "default (a) vs tight (b)"),
    "",
    "[reldiff_default_vs_exact]",
    diff_lines(rd, re, "default (a) vs exact (b)"),
    "",
    "[reldiff_tight_vs_exact]",
    diff_lines(rt, re, "tight (a) vs exact (b)", full = FALSE)
  )
  writeLines(out, paste0(name, ".expected.txt"))
  invisible(out)
}

lv3 <- c("pre", "post", "followup")
expected("a", lv3)
expected("b", lv3)
expected("singular", lv3)
expected("nofollowup", c("pre", "post"))
expected("fractional", lv3)

lv2 <- c("pre", "post")
expected("tiny_interior", lv2,
         paste("the issue's group; d REMLcrit / d theta^2 is exactly 0 at theta = 0 and negative",
               "beyond, so the minimum is interior (not a singular fit)"))
expected("flat_singular", lv2,
         paste("d REMLcrit / d theta^2 is exactly 0 at theta = 0 and positive beyond: the minimum",
               "is at theta = 0 (singular fit). The criterion is so flat near 0 that lmer's default",
               "and tight fits stop at a small theta > 0: only [exact] is the optimum"))
expected("nonconvex", lv2,
         paste("d REMLcrit / d theta^2 > 0 at theta = 0 (local minimum at 0), yet the global",
               "minimum is interior; lmer's default fit finds it"))
expected("nonconvex_stuck", lv2,
         paste("d REMLcrit / d theta^2 > 0 at theta = 0 (local minimum at 0), local maximum",
               "beyond lmer's start theta = 1, global minimum interior: lmer's default and tight",
               "fits stop at theta = 0, only [exact] is the REML optimum"))
expected("near_zero", lv2,
         paste("interior minimum close to theta = 0; lmer's default stops about 1e-5 (absolute)",
               "from it, a relative error of about 3e-4 in theta and 5e-4 in var_id"))
expected("large_theta", lv2,
         "person effect dominates (scores nearly identical within people): very large theta")
expected("small3", lv3, "pre/post/followup, 5 people with 3 missing scores")
