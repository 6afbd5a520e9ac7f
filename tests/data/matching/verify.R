# Checks (run from this directory: Rscript verify.R):
#  1. toy data showing the installed MatchIt 4.5.1 compares |trunc(d_t - d_c)| (C int abs)
#  2. nn_reimpl.R reproduces MatchIt's match.matrix exactly for settings a-e
#  3. the same holds on 10 row permutations of people.csv (controls-only and full) + reversed
#     order, and shows how much the matches depend on row order (tie-breaking).
suppressPackageStartupMessages(library(MatchIt))
source("nn_reimpl.R")

toy <- function(dist, t, ...) {
  d <- data.frame(t = t, x = seq_along(t))
  unname(matchit(t ~ x, data = d, distance = dist, ...)$match.matrix[, 1])
}
cat("toy 1: treated d=0.5, controls d=-0.4 (row 2), 0.6 (row 3); nearest is row 3; MatchIt picks row",
    toy(c(0.5, -0.4, 0.6), c(1, 0, 0)), "\n")
cat("toy 2: caliper 0.3 (unstandardised), |diff| 0.5 and 0.4; MatchIt picks row",
    toy(c(0.5, 0.9, 0.0, 20), c(1, 0, 0, 1), caliper = 0.3, std.caliper = FALSE)[1], "(row 3, outside caliper)\n")

people0 <- read.csv("people.csv", stringsAsFactors = FALSE)
f <- treat ~ age_band + gender + trigger_group + pre_score
set <- list(a = list(ratio = 1, replace = FALSE), b = list(ratio = 2, replace = FALSE),
            c = list(ratio = 1, replace = TRUE), d = list(ratio = 1, replace = FALSE, caliper = 0.2),
            e = list(ratio = 1, replace = FALSE, caliper = 0.2, exact = ~location_type))
run <- function(people, L) {
  m <- do.call(matchit, c(list(formula = f, data = people, distance = "glm", link = "linear.logit"), set[[L]]))
  mm <- m$match.matrix
  ids <- matrix(people$id[as.integer(mm)], nrow(mm)); rownames(ids) <- people$id[as.integer(rownames(mm))]
  cal <- if (is.null(m$caliper)) NULL else unname(m$caliper)
  ex <- if (is.null(set[[L]]$exact)) NULL else people$location_type
  s <- nearest_sim(people$treat, unname(m$distance), set[[L]]$ratio, set[[L]]$replace, cal, ex)
  sid <- matrix(people$id[s], nrow(s))
  list(ids = ids[order(as.integer(rownames(ids))), , drop = FALSE],
       sim_ok = identical(unname(ids), unname(sid)), dist = setNames(unname(m$distance), people$id))
}
key <- function(ids) apply(ids, 1, paste, collapse = ",")
dkey <- function(x, dist) apply(x, 1, function(v)
  paste(ifelse(is.na(v), "NA", sprintf("%.12f", dist[as.character(v)])), collapse = ","))
base <- lapply(setNames(names(set), names(set)), function(L) run(people0, L))
cat("original data reproduced by nn_reimpl.R:", sapply(base, `[[`, "sim_ok"), "\n")
set.seed(99)
out <- NULL
for (rep in 1:10) {
  p1 <- people0; ci <- which(p1$treat == 0); p1[ci, ] <- p1[sample(ci), ]; rownames(p1) <- NULL
  p2 <- people0[sample(nrow(people0)), ]; rownames(p2) <- NULL
  p3 <- people0[nrow(people0):1, ]; rownames(p3) <- NULL
  for (kind in c("ctrl_perm", "full_perm", "reverse")) {
    if (kind == "reverse" && rep > 1) next
    pp <- switch(kind, ctrl_perm = p1, full_perm = p2, reverse = p3)
    for (L in names(set)) {
      r <- run(pp, L); b <- base[[L]]
      out <- rbind(out, data.frame(rep, kind, L, sim_ok = r$sim_ok,
                                   same_controls = sum(key(r$ids) == key(b$ids)),
                                   same_control_distances = sum(dkey(r$ids, r$dist) == dkey(b$ids, b$dist))))
    }
  }
}
cat("all permuted datasets reproduced by nn_reimpl.R:", all(out$sim_ok), "\n")
cat("treated units (of 150) whose matched control ids / control distances are unchanged after reordering rows:\n")
print(aggregate(cbind(same_controls, same_control_distances) ~ kind + L, out,
                function(x) paste(range(x), collapse = "-")), row.names = FALSE)
