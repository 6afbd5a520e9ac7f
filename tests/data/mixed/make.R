# Reference data and expected values for the linear mixed model
#   score ~ time + (1 | id), REML, time = factor(pre, post, followup)
# Run from this directory:  Rscript make.R
# Written with R 4.2.2, lme4 1.1-31, lmerTest 3.1-3.
#
# Part 1 simulates the CSV files (long format: id,time,score).
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

# Exact REML optimum for score ~ time + (1 | id): root in lambda = theta^2 of the
# derivative of the profiled REML criterion,
#   d/dlambda = tr(P Z Z') - (n - p) * y'P Z Z' P y / y'P y,
# with V = I + lambda Z Z' (V_i^{-1} = I - c_i 11', c_i = lambda / (1 + lambda n_i)).
# If the derivative at lambda = 0 is >= 0 the optimum is on the boundary, theta = 0.
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
exact_theta <- function(d) {
  if (reml_grad(d, 0) >= 0) return(0)
  sqrt(uniroot(function(l) reml_grad(d, l), c(0, 100), tol = 1e-300, maxiter = 1000)$root)
}

code_exact <- paste0('m <- lmer(score ~ time + (1 | id), data = d, REML = TRUE, ',
                     'start = list(theta = theta_exact), control = lmerControl(optimizer = NULL))')

expected <- function(name, levels) {
  file <- paste0(name, ".csv")
  d <- read.csv(file, stringsAsFactors = FALSE)
  d$time <- factor(d$time, levels = levels)
  Ls <- if (length(levels) == 3) list(c(1, 0, 0), c(1, 1, 0), c(1, 0, 1)) else list(c(1, 0), c(1, 1))
  Lnames <- sapply(Ls, paste, collapse = ",")
  fd <- fit(d, code_default)
  ft <- fit(d, code_tight)
  rd <- report(fd$m, Ls, Lnames)
  rt <- report(ft$m, Ls, Lnames)
  th <- exact_theta(d)
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
    "# theta_exact = root of d(REMLcrit)/d(theta^2) (see exact_theta() in make.R; 0 if the",
    "# derivative at theta = 0 is >= 0); the model is then built at that theta without optimising:",
    paste("# theta_exact =", f17(th), "; derivative at theta_exact^2:", f17(reml_grad(d, th^2))),
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
