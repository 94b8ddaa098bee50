"""Execute R Script: Azure's ``azureml_main <- function(dataframe1, dataframe2)`` contract, run with Rscript
(Debian's ``r-base-core``; no R packages needed).

The script defines ``azureml_main``, which gets the inputs as data.frames (NULL where a port is not
connected) and returns a data.frame or Azure's ``list(dataset1 = ..., dataset2 = ...)``. Frames cross as
CSV with explicit column classes (R has no arrow here): integer, numeric, logical, character, factor (a
categorical column) and POSIXct (a datetime, ISO text) keep their type both ways; an empty field is a
missing value (NA), so an empty string arrives as NA. An R error fails the step with R's message and the
calls that led to it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from modelyard.errors import InvalidInput

from modelyard.designer._registry import module, parameter, port
from modelyard.designer._script import ScriptFailed

TEMPLATE = '''azureml_main <- function(dataframe1, dataframe2) {
  return(list(dataset1 = dataframe1))
}
'''
# pandas dtype kind -> R column class; and back
_R_CLASS = {"i": "integer", "u": "integer", "f": "numeric", "b": "logical", "M": "POSIXct"}
_R_INTEGER_MAX = 2**31 - 1
_WRAPPER = r'''
options(keep.source = TRUE, warn = 1)
args <- commandArgs(trailingOnly = TRUE)
folder <- args[1]
read_port <- function(name) {
  data <- file.path(folder, paste0(name, ".csv"))
  if (!file.exists(data)) return(NULL)
  classes <- readLines(file.path(folder, paste0(name, ".classes")))
  frame <- read.csv(data, colClasses = classes, na.strings = "", check.names = FALSE, stringsAsFactors = FALSE,
                    encoding = "UTF-8")
  for (i in which(classes == "POSIXct")) frame[[i]] <- as.POSIXct(frame[[i]], tz = "UTC")
  frame
}
write_port <- function(frame, name) {
  classes <- vapply(frame, function(column) class(column)[length(class(column))], "")
  classes[vapply(frame, inherits, TRUE, what = "POSIXct")] <- "POSIXct"
  classes[vapply(frame, inherits, TRUE, what = "Date")] <- "Date"
  writeLines(classes, file.path(folder, paste0(name, ".classes")))
  write.csv(frame, file.path(folder, paste0(name, ".csv")), row.names = FALSE, na = "", fileEncoding = "UTF-8")
}
report <- function(error) {
  calls <- sys.calls()
  calls <- calls[-c(1, length(calls) - 1, length(calls))]  # the wrapper's own call and R's error handler
  lines <- vapply(calls, function(call) {
    where <- attr(call, "srcref")
    paste0(paste(deparse(call, nlines = 1L), collapse = ""),
           if (is.null(where)) "" else paste0(" (line ", where[1], ")"))
  }, "")
  writeLines(conditionMessage(error), file.path(folder, "error.txt"))
  writeLines(c("Traceback (innermost last):", paste0("  ", lines)), file.path(folder, "traceback.txt"))
}
withCallingHandlers({
  if (args[2] != "NA") set.seed(as.integer(args[2]))
  source(file.path(folder, "script.R"), keep.source = TRUE)
  if (!exists("azureml_main", mode = "function")) stop("the script defines no function azureml_main")
  result <- azureml_main(read_port("dataframe1"), read_port("dataframe2"))
}, error = report)
if (is.data.frame(result)) result <- list(dataset1 = result)
if (!is.list(result) || !is.data.frame(result[[1]]) || length(result) > 2 ||
    (length(result) == 2 && !is.null(result[[2]]) && !is.data.frame(result[[2]]))) {
  writeLines(paste(class(result), collapse = "/"), file.path(folder, "returned.txt"))
  quit(status = 3)
}
write_port(result[[1]], "dataset1")
if (length(result) == 2 && !is.null(result[[2]])) write_port(result[[2]], "dataset2")
'''


def _write_frame(frame, folder: Path, name: str) -> None:
    classes, out = [], frame.copy()
    for column in out.columns:
        series = out[column]
        if str(series.dtype) == "category":
            classes.append("factor")
        elif series.dtype.kind in "iu" and len(series) and series.abs().max() > _R_INTEGER_MAX:
            classes.append("numeric")  # R's integers are 32-bit
        elif series.dtype.kind == "M":
            classes.append("POSIXct")
            out[column] = series.dt.strftime("%Y-%m-%d %H:%M:%S")
        else:
            classes.append(_R_CLASS.get(series.dtype.kind, "character"))
    (folder / f"{name}.classes").write_text("\n".join(classes) + "\n")
    out.to_csv(folder / f"{name}.csv", index=False, na_rep="")


def _read_frame(folder: Path, name: str):
    import pandas as pd

    data = folder / f"{name}.csv"
    if not data.exists():
        return None
    classes = (folder / f"{name}.classes").read_text().splitlines()
    header = pd.read_csv(data, nrows=0).columns
    types = {"integer": "Int64", "numeric": "float64", "logical": "boolean", "factor": "category"}
    frame = pd.read_csv(data, dtype={column: types.get(cls, "string") for column, cls in zip(header, classes)},
                        keep_default_na=False, na_values=[""])
    for column, cls in zip(header, classes):
        if cls in ("POSIXct", "Date"):
            frame[column] = pd.to_datetime(frame[column], format="ISO8601")
        elif cls == "integer" and not frame[column].isna().any():
            frame[column] = frame[column].astype("int64")
        elif cls == "logical" and not frame[column].isna().any():
            frame[column] = frame[column].astype(bool)
        elif cls not in types:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def run_r(script: str, dataframe1, dataframe2, seed: int | None):
    rscript = shutil.which("Rscript")
    if rscript is None:
        raise InvalidInput("Rscript is not installed on this machine; install R (Debian: apt-get install "
                           "r-base-core) on the compute that runs the step")
    with tempfile.TemporaryDirectory(prefix="designer-r-") as scratch:
        folder = Path(scratch)
        (folder / "script.R").write_text(script)
        (folder / "wrapper.R").write_text(_WRAPPER)
        for name, frame in (("dataframe1", dataframe1), ("dataframe2", dataframe2)):
            if frame is not None:
                _write_frame(frame, folder, name)
        done = subprocess.run([rscript, "--vanilla", str(folder / "wrapper.R"), str(folder),
                               "NA" if seed is None else str(seed)], capture_output=True, text=True)
        if (folder / "error.txt").exists():
            message = (folder / "error.txt").read_text().strip()
            log = (folder / "traceback.txt").read_text() + (done.stdout + done.stderr)
            raise ScriptFailed(f"the R script raised an error: {message}\n{log}", log)
        if done.returncode == 3:
            returned = (folder / "returned.txt").read_text().strip()
            raise InvalidInput(f"azureml_main returned {returned}; return a data.frame, or list(dataset1 = <data.frame>"
                               ", dataset2 = <data.frame>)")
        if done.returncode != 0:
            raise ScriptFailed(f"Rscript failed (exit {done.returncode}):\n{done.stderr}", done.stderr)
        if done.stdout.strip() or done.stderr.strip():
            print(done.stdout + done.stderr, flush=True)  # the script's own output, for the step log
        return _read_frame(folder, "dataset1"), _read_frame(folder, "dataset2")


@module("execute_r_script", "Execute R Script", "R Language",
        "Runs azureml_main(dataframe1, dataframe2) from an R script with Rscript; it returns a data.frame or "
        "list(dataset1 = ..., dataset2 = ...).",
        inputs=[port("dataframe1", "Dataframe1", optional=True), port("dataframe2", "Dataframe2", optional=True)],
        outputs=[port("result_dataset", "Result Dataset"), port("result_dataset2", "Result Dataset2")],
        parameters=[parameter("script", "r_script", "R script", TEMPLATE),
                    parameter("integer", "random_seed", "Random Seed", None, optional=True, minimum=0)])
def execute_r_script(dataframe1, dataframe2, *, r_script, random_seed=None):
    return run_r(r_script, dataframe1, dataframe2, random_seed)
