# The binary's layout: scheme.csv and comparator.csv are people.csv's treated and control rows
# (made with a few lines of Python: the rows with treat 1, then those with treat 0, columns
# id,age_band,gender,trigger_group,location_type,pre_score,post_score). `compare` puts the
# scheme file's people before the comparator's, so R gets rbind(treated, control).
# R 4.2.2 with MatchIt 4.5.1 built from source with std::abs (see ../README.md):
.libPaths(c("/tmp/matchit-helper/lib_stdabs", .libPaths()))
suppressMessages(library(MatchIt))
people <- read.csv("../people.csv", stringsAsFactors = FALSE)
b <- rbind(people[people$treat == 1, ], people[people$treat == 0, ])
rownames(b) <- NULL
m <- matchit(treat ~ age_band + gender + trigger_group + pre_score, data = b,
             method = "nearest", distance = "glm", link = "linear.logit",
             caliper = 0.2, exact = ~location_type)
mm <- m$match.matrix; tr <- b$id[as.integer(rownames(mm))]; co <- b$id[as.integer(mm[, 1])]
ok <- !is.na(co)
write.csv(data.frame(scheme_id = tr[ok], comparator_id = co[ok]), "e.matches.csv", row.names = FALSE)
chg <- b$post_score - b$pre_score; names(chg) <- b$id
d <- chg[as.character(tr[ok])] - chg[as.character(co[ok])]
t <- t.test(d)
cat(sprintf("%.17g", c(sum(ok), mean(d), t$conf.int, t$p.value)), "\n")
# 140 0.62142857142857144 0.3544052820885098 0.88845186076863314 9.3624339322072234e-06
