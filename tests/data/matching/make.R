# Reference data + MatchIt nearest-neighbour results for the Rust matching tests.
#
# Generated with R 4.2.2 (Debian, "R version 4.2.2 Patched (2022-11-10 r83330)")
# and MatchIt 4.5.1 as packaged by Debian (/usr/lib/R/site-library/MatchIt).
# Run from this directory:   Rscript make.R
# Variant (see README.md):    Rscript make.R <lib.loc of patched MatchIt> stdabs "std::abs-patched 4.5.1 build"
#   -> same people.csv, results written into ./stdabs/
#
# NOTE: the installed (Debian/GCC-built) MatchIt 4.5.1 binary compares propensity
# distances with C `int abs(int)`, i.e. |trunc(d_i - d_j)|, inside nn_matchC_vec.
# The results written here are what that binary produces.  See README.md.

args <- commandArgs(TRUE)
lib <- if (length(args) >= 1) args[1] else NULL
outdir <- if (length(args) >= 2) args[2] else "."
build <- if (length(args) >= 3) args[3] else "Debian build"
suppressPackageStartupMessages(library(MatchIt, lib.loc = lib))
stopifnot(packageVersion("MatchIt") == "4.5.1")
dir.create(outdir, showWarnings = FALSE)
out <- function(x) file.path(outdir, x)

f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

## ---------------------------------------------------------------- data ----
set.seed(20240517)
n <- 550L
n1 <- 150L

age_levels     <- c("18-34", "35-54", "55-74", "75+")
gender_levels  <- c("female", "male")
trigger_levels <- c("falls", "frailty", "medication", "readmission", "social")
loc_levels     <- c("urban", "rural")

age_band      <- sample(age_levels, n, replace = TRUE, prob = c(0.25, 0.30, 0.28, 0.17))
gender        <- sample(gender_levels, n, replace = TRUE, prob = c(0.55, 0.45))
trigger_group <- sample(trigger_levels, n, replace = TRUE, prob = c(0.25, 0.20, 0.20, 0.20, 0.15))
location_type <- sample(loc_levels, n, replace = TRUE, prob = c(0.65, 0.35))
pre_score     <- pmin(9L, pmax(3L, as.integer(round(rnorm(n, 5.5, 1.6)))))

# treatment propensity: older, female, some trigger groups, rural, higher pre_score
lp <- -1.3 +
  c("18-34" = -0.6, "35-54" = 0, "55-74" = 0.5, "75+" = 0.9)[age_band] +
  c(female = 0.3, male = 0)[gender] +
  c(falls = 0.6, frailty = 0.4, medication = 0, readmission = -0.3, social = -0.5)[trigger_group] +
  c(urban = 0, rural = 0.4)[location_type] +
  0.45 * (pre_score - 5.5)
p <- plogis(lp)
treated_rows <- sample.int(n, n1, prob = p)          # exactly 150 treated, rows interleaved
treat <- integer(n); treat[treated_rows] <- 1L

# outcome: post_score, treated improve a bit more
post_score <- pmin(9L, pmax(3L, as.integer(round(
  1.2 + 0.7 * pre_score + 0.6 * treat - 0.3 * (age_band == "75+") + rnorm(n, 0, 1.1)))))

people <- data.frame(
  id = 1000L + seq_len(n),                            # ids differ from row numbers on purpose
  treat = treat,
  age_band = age_band,
  gender = gender,
  trigger_group = trigger_group,
  location_type = location_type,
  pre_score = pre_score,
  post_score = post_score,
  stringsAsFactors = FALSE
)
write.csv(people, "people.csv", row.names = FALSE, quote = TRUE)

## Re-read the CSV so that matching uses exactly what the Rust side will see
## (character columns, not factors; MatchIt/glm turn them into factors with
## alphabetically sorted levels).
people <- read.csv("people.csv", stringsAsFactors = FALSE)
stopifnot(sum(people$treat == 1) == 150, sum(people$treat == 0) == 400)

row2id <- function(rn) people$id[as.integer(rn)]      # rownames are "1".."550"

## ------------------------------------------------------------- settings ----
calls <- c(
  a = 'matchit(treat ~ age_band + gender + trigger_group + pre_score, data = people, method = "nearest", distance = "glm", link = "linear.logit", ratio = 1, replace = FALSE)',
  b = 'matchit(treat ~ age_band + gender + trigger_group + pre_score, data = people, method = "nearest", distance = "glm", link = "linear.logit", ratio = 2, replace = FALSE)',
  c = 'matchit(treat ~ age_band + gender + trigger_group + pre_score, data = people, method = "nearest", distance = "glm", link = "linear.logit", ratio = 1, replace = TRUE)',
  d = 'matchit(treat ~ age_band + gender + trigger_group + pre_score, data = people, method = "nearest", distance = "glm", link = "linear.logit", ratio = 1, replace = FALSE, caliper = 0.2)',
  e = 'matchit(treat ~ age_band + gender + trigger_group + pre_score, data = people, method = "nearest", distance = "glm", link = "linear.logit", ratio = 1, replace = FALSE, caliper = 0.2, exact = ~location_type)'
)

fits <- list()
for (L in names(calls)) {
  m <- eval(parse(text = calls[[L]]))
  fits[[L]] <- m
  mm <- m$match.matrix

  # matches: one row per non-NA cell, row-major over match.matrix (treated in data order, then slot)
  rows <- list()
  for (i in seq_len(nrow(mm))) for (j in seq_len(ncol(mm))) {
    if (!is.na(mm[i, j])) rows[[length(rows) + 1L]] <-
        data.frame(treated_id = row2id(rownames(mm)[i]), control_id = row2id(mm[i, j]), slot = j)
  }
  matches <- do.call(rbind, rows)
  write.csv(matches, out(sprintf("%s.matches.csv", L)), row.names = FALSE, quote = FALSE)

  write.csv(data.frame(id = row2id(names(m$weights)), weight = f17(m$weights)),
            out(sprintf("%s.weights.csv", L)), row.names = FALSE, quote = FALSE)
  write.csv(data.frame(id = row2id(names(m$distance)), distance = f17(m$distance)),
            out(sprintf("%s.distance.csv", L)), row.names = FALSE, quote = FALSE)

  s <- summary(m, standardize = TRUE)
  A <- s$sum.all; M <- s$sum.matched
  stopifnot(identical(rownames(A), rownames(M)))
  bal <- data.frame(
    variable = rownames(A),
    means_treated_before = f17(A[, "Means Treated"]),
    means_control_before = f17(A[, "Means Control"]),
    means_treated_after  = f17(M[, "Means Treated"]),
    means_control_after  = f17(M[, "Means Control"]),
    std_mean_diff_before = f17(A[, "Std. Mean Diff."]),
    std_mean_diff_after  = f17(M[, "Std. Mean Diff."]),
    var_ratio_before     = f17(A[, "Var. Ratio"]),
    var_ratio_after      = f17(M[, "Var. Ratio"])
  )
  write.csv(bal, out(sprintf("%s.balance.csv", L)), row.names = FALSE, quote = TRUE)

  nn <- s$nn
  unmatched_t <- row2id(rownames(mm)[is.na(mm[, 1])])
  con <- file(out(sprintf("%s.txt", L)), "w")
  writeLines(c(
    sprintf("# %s, MatchIt %s (%s, %s)", R.version.string, packageVersion("MatchIt"), build, find.package("MatchIt")),
    "people <- read.csv(\"people.csv\", stringsAsFactors = FALSE)",
    paste0("m <- ", calls[[L]]),
    "",
    sprintf("caliper (distance units, = 0.2 * sd(distance over all units)): %s",
            if (is.null(m$caliper)) "none" else f17(m$caliper)),
    sprintf("m.order used: %s", if (isTRUE(grepl("replace = TRUE", calls[[L]]))) "data (forced because replace = TRUE)" else "largest"),
    "",
    "summary(m)$nn:",
    capture.output(print(nn)),
    "",
    sprintf("treated matched: %d of %d; treated unmatched: %d", sum(!is.na(mm[, 1])), nrow(mm), sum(is.na(mm[, 1]))),
    sprintf("control units with weight > 0: %d of %d; controls unused: %d",
            sum(m$weights[m$treat == 0] > 0), sum(m$treat == 0), sum(m$weights[m$treat == 0] == 0)),
    sprintf("pairs (non-NA match.matrix cells): %d", nrow(matches)),
    sprintf("unmatched treated ids: %s", if (length(unmatched_t)) paste(unmatched_t, collapse = " ") else "(none)")
  ), con)
  close(con)
}

## ------------------------------------------- a: difference in differences --
m <- fits$a
mm <- m$match.matrix
tr <- as.integer(rownames(mm)); co <- as.integer(mm[, 1])
ok <- !is.na(co); tr <- tr[ok]; co <- co[ok]
chg <- people$post_score - people$pre_score
d <- chg[tr] - chg[co]                                  # treated change - control change, per pair
tt <- t.test(d)
con <- file(out("a.effect.txt"), "w")
writeLines(c(
  "# R code (after fitting setting a):",
  "#   mm <- m$match.matrix; tr <- as.integer(rownames(mm)); co <- as.integer(mm[, 1])",
  "#   ok <- !is.na(co); tr <- tr[ok]; co <- co[ok]",
  "#   chg <- people$post_score - people$pre_score",
  "#   d <- chg[tr] - chg[co]      # paired difference of change scores (treated - control)",
  "#   tt <- t.test(d)             # one-sample t-test, mu = 0, conf.level = 0.95",
  sprintf("n_pairs %d", length(d)),
  sprintf("mean_treated_change %s", f17(mean(chg[tr]))),
  sprintf("mean_control_change %s", f17(mean(chg[co]))),
  sprintf("mean_diff %s", f17(mean(d))),
  sprintf("sd_diff %s", f17(sd(d))),
  sprintf("se %s", f17(sd(d) / sqrt(length(d)))),
  sprintf("t %s", f17(unname(tt$statistic))),
  sprintf("df %s", f17(unname(tt$parameter))),
  sprintf("ci_lower %s", f17(tt$conf.int[1])),
  sprintf("ci_upper %s", f17(tt$conf.int[2])),
  sprintf("p_value %s", f17(tt$p.value))
), con)
close(con)

cat("done\n")
