# Pure-R re-implementation of MatchIt 4.5.1 matchit2nearest() + nn_matchC_vec() for
# distance = PS vector, no mahvars, no antiexact, no unit.id, no discard.
# int_abs = TRUE reproduces the Debian/GCC build (C int abs on doubles => |trunc(x)|)
# checkin_bug = TRUE reproduces the 0-based vs 1-based comparison in check_in().
nn_vec_sim <- function(treat, distance, ord, ratio, reuse_max, caliper = NULL,
                       int_abs = TRUE, checkin_bug = TRUE, trace = FALSE) {
  n <- length(treat)
  A <- if (int_abs) function(x) abs(trunc(x)) else abs
  d_ord <- sort.list(distance)                 # radix, stable: ties keep data order
  ts <- treat[d_ord]; ds <- distance[d_ord]
  pos <- integer(n); pos[d_ord] <- seq_len(n)  # sorted position of data row
  tr_rows <- which(treat == 1)
  n1 <- length(tr_rows)
  can <- ts == 0
  mm <- matrix(NA_integer_, n1, ratio)
  log <- list()
  for (r in seq_len(ratio)) for (i in seq_len(n1)) {
    row <- ord[i]; ii <- pos[tr_rows[row]]
    mrow <- mm[row, ]; mrow <- mrow[!is.na(mrow)]
    skip <- function(k) ts[k] == 1 ||
      (r > 1 && ((if (checkin_bug) d_ord[k] - 1L else d_ord[k]) %in% mrow)) || !can[k]
    kl <- NA; k <- ii - 1L
    while (k >= 1L) {
      if (skip(k)) { k <- k - 1L; next }
      if (!is.null(caliper) && A(ds[ii] - ds[k]) > caliper) break
      kl <- k; break
    }
    kr <- NA; k <- ii + 1L
    while (k <= n) {
      if (skip(k)) { k <- k + 1L; next }
      if (!is.null(caliper) && A(ds[ii] - ds[k]) > caliper) break
      kr <- k; break
    }
    if (!is.na(kl) && !is.na(kr)) k <- if (A(ds[kl] - ds[ii]) <= A(ds[kr] - ds[ii])) kl else kr
    else if (!is.na(kl)) k <- kl else if (!is.na(kr)) k <- kr else next
    mm[row, r] <- d_ord[k]
    if (trace) log[[length(log) + 1]] <- c(r = r, t = tr_rows[row], kl = if (is.na(kl)) NA else d_ord[kl],
                                           kr = if (is.na(kr)) NA else d_ord[kr], chosen = d_ord[k])
    if (reuse_max < .Machine$integer.max) can[k] <- FALSE
  }
  attr(mm, "log") <- log
  mm
}

# matchit2nearest-level wrapper (ATT): m.order, exact splitting, reuse.max
nearest_sim <- function(treat, distance, ratio = 1, replace = FALSE, caliper = NULL,
                        exact = NULL, ...) {
  n1 <- sum(treat == 1)
  reuse_max <- if (replace) .Machine$integer.max else 1L
  m.order <- if (reuse_max >= n1) "data" else "largest"
  mkord <- function(dist1) if (m.order == "largest") order(dist1, decreasing = TRUE) else seq_along(dist1)
  if (is.null(exact)) {
    return(nn_vec_sim(treat, distance, mkord(distance[treat == 1]), ratio, reuse_max, caliper, ...))
  }
  ex <- factor(exact)
  mm <- matrix(NA_integer_, n1, ratio)
  tr_rows <- which(treat == 1)
  for (e in levels(ex)) {
    .e <- which(ex == e)
    t_ <- treat[.e]; d_ <- distance[.e]
    mm_ <- nn_vec_sim(t_, d_, mkord(d_[t_ == 1]), ratio, reuse_max, caliper, ...)
    mm_[] <- .e[mm_]
    mm[match(.e[t_ == 1], tr_rows), ] <- mm_
  }
  mm
}
