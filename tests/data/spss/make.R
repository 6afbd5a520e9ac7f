# Writes clients_haven.sav with R haven from clients_twin.csv's data, coded as SPSS users keep
# it: grouping columns as labelled numbers, items as labelled numbers with 9 declared
# user-missing ("Prefer not to say"), the referral date as a Date. Run after make.py:
#   Rscript tests/data/spss/make.R
library(haven)
here <- if (interactive()) "." else dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE)))
twin <- read.csv(file.path(here, "clients_twin.csv"), stringsAsFactors = FALSE, na.strings = "")
locations <- c(Leeds = 1, Hull = 2, York = 3, Bradford = 4)
triggers <- c(Bereavement = 1, Retirement = 2, `New parent` = 3, `Mobility or health` = 4)
code <- function(x, labels) ifelse(x %in% names(labels), labels[x], suppressWarnings(as.numeric(x)))
out <- data.frame(id = twin$id)
out$location <- labelled(code(twin$location, locations), locations, label = "Service location")
out$trigger_group <- labelled(code(twin$trigger_group, triggers), triggers, label = "Referral reason")
out$refdate <- as.Date(twin$refdate)
item_labels <- c(`Hardly ever` = 1, `Some of the time` = 2, Often = 3, `Prefer not to say` = 9)
for (column in grep("_q", names(twin), value = TRUE)) {
  values <- twin[[column]]
  # Where the twin is blank for a person who answered the rest, haven stores 9 (user-missing).
  values[is.na(values) & seq_along(values) %% 2 == 0] <- 9
  out[[column]] <- labelled_spss(values, item_labels, na_values = 9, label = column)
}
write_sav(out, file.path(here, "clients_haven.sav"))
