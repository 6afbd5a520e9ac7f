# Generates the item-response reference data for omega-total tests.
# Run from this directory with:  Rscript make.R
# (R 4.2.2; only base R is needed to make the CSVs.)
#
# Model: y_ij = lambda_j * g_i + gamma_j * s_{i, grp(j)} + sqrt(1 - lambda_j^2 - gamma_j^2) * e_ij
# (g, s, e standard normal), then cut at fixed thresholds into 1..4
# (like loneliness items: 1 = never ... 4 = often).  Reverse-keyed items are
# stored as 5 - x.

gen <- function(seed, n, k, ngroups, reversed = integer(0),
                lambda_range = c(0.45, 0.75), gamma = 0.35,
                cuts = c(-Inf, -0.6, 0.3, 1.1, Inf)) {
  set.seed(seed)
  lambda <- runif(k, lambda_range[1], lambda_range[2])
  grp <- rep_len(seq_len(ngroups), k)
  g <- rnorm(n)
  s <- matrix(rnorm(n * ngroups), n, ngroups)
  e <- matrix(rnorm(n * k), n, k)
  y <- matrix(0, n, k)
  for (j in seq_len(k)) {
    y[, j] <- lambda[j] * g + gamma * s[, grp[j]] +
      sqrt(1 - lambda[j]^2 - gamma^2) * e[, j]
  }
  x <- matrix(as.integer(cut(y, cuts, labels = FALSE)), n, k)
  for (j in reversed) x[, j] <- 5L - x[, j]
  colnames(x) <- paste0("i", seq_len(k))
  as.data.frame(x)
}

write_items <- function(d, file) {
  write.csv(d, file, row.names = FALSE, quote = FALSE)
}

# 8 items, 300 people, no reverse-keyed items
uls8 <- gen(seed = 20240801, n = 300, k = 8, ngroups = 3)
write_items(uls8, "uls8.csv")

# 20 items, 400 people; items 1, 5, 6, 9, 10, 15, 16, 19, 20 are
# reverse-keyed in the raw data (the reverse-scored items of the UCLA
# Loneliness Scale v3), so psych::omega's flip = TRUE has to flip them.
ucla20 <- gen(seed = 20240802, n = 400, k = 20, ngroups = 3,
              reversed = c(1, 5, 6, 9, 10, 15, 16, 19, 20))
write_items(ucla20, "ucla20.csv")

# 8 items, only 60 people
small8 <- gen(seed = 20240803, n = 60, k = 8, ngroups = 3)
write_items(small8, "small8.csv")

# 3 items (UCLA-3 like), 250 people, no reverse-keyed items
ucla3 <- gen(seed = 20240804, n = 250, k = 3, ngroups = 1, gamma = 0,
             lambda_range = c(0.6, 0.8))
write_items(ucla3, "ucla3.csv")

# ---------------------------------------------------------------------------
# Part 2: expected values (<name>.expected.txt).  Needs psych (2.2.9) and
# GPArotation (2022.10.2).  Writes every number with sprintf("%.17g").
# ---------------------------------------------------------------------------
suppressMessages(library(psych))
suppressMessages(library(GPArotation))

# Copies of the closures defined inside psych:::fac (psych 2.2.9), used to
# re-run the minres optimisation with tighter control.
fit.residuals <- function(Psi, S, nf, S.inv = NULL, fm) {
  diag(S) <- 1 - Psi
  eigens <- eigen(S)
  eigens$values[eigens$values < .Machine$double.eps] <- 100 * .Machine$double.eps
  if (nf > 1) loadings <- eigens$vectors[, 1:nf] %*% diag(sqrt(eigens$values[1:nf]))
  else loadings <- eigens$vectors[, 1] * sqrt(eigens$values[1])
  model <- loadings %*% t(loadings)
  residual <- (S - model)
  residual <- residual[lower.tri(residual)]
  sum(residual^2)
}
FAgr.minres <- function(Psi, S, nf, fm) {
  Sstar <- S - diag(Psi)
  E <- eigen(Sstar, symmetric = TRUE)
  L <- E$vectors[, 1:nf, drop = FALSE]
  load <- L %*% diag(sqrt(pmax(E$values[1:nf], 0)), nf)
  g <- load %*% t(load) + diag(Psi) - S
  diag(g)
}
FAout.wls <- function(Psi, S, q) {
  diag(S) <- diag(S) - Psi
  E <- eigen(S, symmetric = TRUE)
  E$vectors[, 1L:q, drop = FALSE] %*% diag(sqrt(pmax(E$values[1L:q, drop = FALSE], 0)), q)
}
# psych's fit() for fm = "minres", with extra optim control
minres_fit <- function(S, nf = 3, control = list()) {
  S.smc <- smc(S)
  start <- diag(S) - smc(S)
  optim(start, fit.residuals, gr = FAgr.minres, method = "L-BFGS-B",
        lower = 0.005, upper = max(S.smc, 1),
        control = c(list(fnscale = 1, parscale = rep(0.01, length(start))), control),
        nf = nf, S = S, fm = "minres")
}
# Newton iteration on the ULS stationarity condition diag(S - Psi - L L') = 0
# (L = first nf eigenpairs of S - diag(Psi)) for the coordinates not at a bound.
newton_kkt <- function(S, Psi, nf = 3, lower = 0.005, upper = 1) {
  F <- function(p) 1 - p - rowSums(FAout.wls(p, S, nf)^2)
  free <- Psi > lower + 1e-6 & Psi < upper - 1e-6
  for (it in 1:50) {
    f <- F(Psi)
    J <- matrix(0, length(Psi), length(Psi))
    for (j in seq_along(Psi)) { pp <- Psi; pp[j] <- pp[j] + 1e-7; J[, j] <- (F(pp) - f) / 1e-7 }
    step <- rep(0, length(Psi))
    step[free] <- -solve(J[free, free, drop = FALSE], f[free])
    Psi <- Psi + step
    if (max(abs(step)) < 1e-15) break
  }
  Psi
}
h2_of <- function(Psi, S, nf = 3) rowSums(FAout.wls(Psi, S, nf)^2)

g17 <- function(x) paste(sprintf("%.17g", x), collapse = ",")

expected <- function(name, extra = function(...) NULL, exact_note = "") {
  d <- read.csv(paste0(name, ".csv"))
  warns <- character(0); msgs <- character(0)
  om <- withCallingHandlers(omega(d, plot = FALSE),
    warning = function(w) {
      warns <<- c(warns, paste0(deparse(conditionCall(w))[1], ": ", conditionMessage(w)))
      invokeRestart("muffleWarning")
    },
    message = function(m) {
      msg <- trimws(conditionMessage(m))
      if (!grepl("Loading required namespace", msg)) msgs <<- c(msgs, msg)
      invokeRestart("muffleMessage")
    })
  R <- cor(d, use = "pairwise")           # what omegah uses
  Vt <- sum(om$R)                         # om$R = diag(key) %*% R %*% diag(key)
  u2 <- om$schmid$sl[, "u2"]
  tight <- minres_fit(R, 3, control = list(factr = 1e1, pgtol = 0, maxit = 10000))
  h2t <- h2_of(tight$par, R)
  psi_n <- newton_kkt(R, tight$par)
  h2n <- h2_of(psi_n, R)
  L <- c(
    sprintf("# %s.csv: %d people x %d items; %s, psych %s, GPArotation %s",
            name, nrow(d), ncol(d), R.version.string, packageVersion("psych"),
            packageVersion("GPArotation")),
    "# om <- psych::omega(d, plot = FALSE)   (all other arguments default: nfactors = 3, fm = \"minres\", rotate = \"oblimin\", flip = TRUE)",
    "# d <- read.csv(\"<name>.csv\"); R <- cor(d, use = \"pairwise\")",
    if (length(warns)) paste0("# R warning: ", warns) else "# R warnings: none",
    if (length(msgs)) paste0("# R message: ", msgs) else "# R messages: none",
    paste0("omega_tot = ", g17(om$omega.tot), "  # om$omega.tot"),
    paste0("omega_h = ", g17(om$omega_h), "  # om$omega_h"),
    paste0("alpha = ", g17(om$alpha), "  # om$alpha"),
    paste0("Vt = ", g17(Vt), "  # sum(om$R)  (correlation matrix after flipping, = sum(diag(om$key) %*% R %*% diag(om$key)))"),
    paste0("sum_u2 = ", g17(sum(u2)), "  # sum(om$schmid$sl[, \"u2\"])"),
    paste0("key = ", paste(om$key, collapse = ","), "  # om$key  (-1 = item reversed by flip = TRUE)"),
    paste0("u2 = ", g17(u2), "  # om$schmid$sl[, \"u2\"]"),
    paste0("omega_tot_tight = ", g17((Vt - sum(1 - h2t)) / Vt),
           "  # psych's minres optim re-run with control factr = 1e1, pgtol = 0, maxit = 10000; h2 = rowSums(FAout.wls(par)^2); (Vt - sum(1 - h2))/Vt"),
    paste0("sum_u2_tight = ", g17(sum(1 - h2t)), "  # sum(1 - h2) of that tight fit"),
    paste0("omega_tot_exact = ", g17((Vt - sum(1 - h2n)) / Vt),
           "  # Newton solution of diag(R - diag(Psi) - L L') = 0 (Psi not at the bounds [0.005, 1]), started from the tight fit", exact_note),
    paste0("sum_u2_exact = ", g17(sum(1 - h2n)), "  # sum(1 - h2) of the Newton solution"),
    paste0("psi_at_lower_bound = ", if (any(psi_n <= 0.005 + 1e-6)) paste(which(psi_n <= 0.005 + 1e-6), collapse = ",") else "none",
           "  # items whose uniqueness parameter sits at optim's lower bound 0.005 (Heywood case)"),
    extra(d, R, Vt)
  )
  writeLines(L, paste0(name, ".expected.txt"))
}

expected("uls8")
expected("ucla20")
expected("small8", extra = function(d, R, Vt) {
  G <- function(p) fit.residuals(p, R, 3, fm = "minres")
  o <- nlminb(minres_fit(R, 3)$par, G, lower = 0.005, upper = 1,
              control = list(eval.max = 1e5, iter.max = 1e5, rel.tol = 1e-15, x.tol = 1e-12))
  h2 <- h2_of(o$par, R)
  paste0("omega_tot_objective_min = ", g17((Vt - sum(1 - h2)) / Vt),
         "  # nlminb minimum (no gradient) of psych's minres objective fit.residuals with bounds [0.005, 1]; differs from R because of the Heywood case")
})
expected("ucla3", exact_note = "; NOT unique for 3 items / 3 factors: every Psi with R - diag(Psi) positive semidefinite fits exactly, so R's value depends on the L-BFGS-B path", extra = function(d, R, Vt) {
  om1 <- suppressWarnings(suppressMessages(omega(d, nfactors = 1, plot = FALSE)))
  c(paste0("omega_tot_nfactors1 = ", g17(om1$omega.tot), "  # psych::omega(d, nfactors = 1, plot = FALSE)$omega.tot"),
    paste0("omega_tot_one_factor_closed_form = ",
           g17((Vt - sum(1 - c(R[1,2]*R[1,3]/R[2,3], R[1,2]*R[2,3]/R[1,3], R[1,3]*R[2,3]/R[1,2]))) / Vt),
           "  # h2_i = r_ij r_ik / r_jk (exact 1-factor fit of 3 items)"))
})
