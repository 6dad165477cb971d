#!/bin/sh
# report.sh: renders the benchmark report (Markdown, on stdout) from the
# result lines the bench scripts append (bench/lib.sh describes the format)
# and the machine description bench/run.sh writes.
# Usage: bench/report.sh RESULTS.tsv MACHINE.tsv > bench/RESULTS.md
set -eu
results=${1:?usage: report.sh RESULTS.tsv MACHINE.tsv}
machine=${2:?usage: report.sh RESULTS.tsv MACHINE.tsv}
awk -F '\t' -v machine="$machine" '
function esc(s) { gsub(/\|/, "\\|", s); return s }
function num(v, unit) { return v == "-" ? "-" : v " " unit }
function mb(kb) { return (kb == "-" || kb == "" || kb < 0) ? "-" : sprintf("%.1f MB", kb / 1024) }
BEGIN {
	while ((getline line < machine) > 0) {
		split(line, f, "\t"); m[f[1]] = f[2]
	}
}
$1 == "fig" {
	if (!($2 in seen)) { seen[$2] = 1; order[++nsec] = $2 }
	rows[$2] = rows[$2] sprintf("| %s | %s | %s | %s | %s | %s | %s |\n", esc($3),
		num($4, $5), esc($6), num($7, $5), $8, mb($9), $10 == "-" ? "" : esc($10))
	nfig++
}
$1 == "data" {
	# an input shared by several sections is listed once, as its first use
	# found it (generated or cached), with the sections that used it
	if ($3 in used) {
		if (index(used[$3], $2) == 0) used[$3] = used[$3] ", " $2
		next
	}
	dorder[++ndata] = $3; used[$3] = $2
	if ($10 ~ /^generated/) { gen++; gsecs += $4 }
	how[$3] = $10 ~ /^generated/ ? "generated in " $4 " s" : "cached"
	dnote[$3] = $10 ~ /^cached; / ? substr($10, 9) : ""
}
$1 == "time" {
	times = times sprintf("| %s | %s s | %s |\n", $2, $4, esc($10))
	if ($10 ~ /FAILED/) failed = failed " " $2
}
END {
	print "# docket benchmark results"
	print ""
	print "Written by `make bench` (bench/run.sh, then bench/report.sh) on " m["date"] "."
	print "Run `make bench` to measure again; it rewrites this file. Every figure"
	print "stands beside a baseline measured in the same run on the same machine,"
	print "since absolute times on a shared machine mean little. **ratio** is"
	print "value / baseline (for rates measured in rounds: the median of the"
	print "per-round ratios); **peak RSS** is the maximum resident set of the"
	print "process that produced the figure (concurrent runs: the largest worker)."
	if (failed != "")
		print "\n**Sections that failed:" failed "** (their figures are missing or partial)."
	print ""
	print "## Machine"
	print ""
	print "| | |"
	print "|---|---|"
	print "| CPU | " m["cpu"] " |"
	print "| cores | " m["cores"] " |"
	print "| RAM | " m["ram"] " |"
	print "| kernel | " m["kernel"] " |"
	print "| filesystem of bench/out | " m["fs"] " |"
	print "| SQLite | " m["sqlite"] " |"
	print "| compiler | " m["compiler"] " |"
	print "| tools | " m["tools"] " |"
	print "| docket commit | " esc(m["commit"]) " |"
	print "| date | " m["date"] " |"
	print "| load average (1, 5, 15 min) | at start " m["load_start"] "; at end " m["load_end"] " |"
	print "| busiest processes at start | " esc(m["busy_start"]) " |"
	printf "| generated inputs | %s |\n", gen == ndata ? "all " ndata " generated in this run (" sprintf("%.0f", gsecs) " s): a cold run" : gen ? gen " of " ndata " generated in this run (" sprintf("%.0f", gsecs) " s), the rest cached in bench/out/" : "all " ndata " cached in bench/out/ by earlier runs"
	print "| settings | " (m["config"] == "" ? "defaults" : esc(m["config"])) " |"
	print "| total wall time of bench/run.sh | " m["wall"] " |"
	for (i = 1; i <= nsec; i++) {
		s = order[i]
		print ""
		print "## " s
		print ""
		print "| figure | value | baseline | baseline value | ratio | peak RSS | notes |"
		print "|---|---|---|---|---|---|---|"
		printf "%s", rows[s]
	}
	print ""
	print "## Generated inputs (bench/out/)"
	print ""
	print "| input | used by | this run | notes |"
	print "|---|---|---|---|"
	for (i = 1; i <= ndata; i++) {
		d = dorder[i]
		printf "| %s | %s | %s | %s |\n", esc(d), used[d], how[d], esc(dnote[d])
	}
	print ""
	print "## Wall time per section"
	print ""
	print "| section | wall time | notes |"
	print "|---|---|---|"
	printf "%s", times
}' "$results"
