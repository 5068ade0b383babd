# SPDX-License-Identifier: MIT
# make bench's sweep plots (ci/bench.sh): per unit of work against the
# sweep's parameter (a log2 axis), micro and mono: the measured ticks (log) and
# the least squares lines ci/benchreport.c fitted through them (it writes
# the points, DAT, and the lines' coefficients, FIT); micro's ticks minus
# mono's (below zero: micro is cheaper); the exits.
#   gnuplot -e "dat='D'; fit='F'; out='O'; what='T'; xname='X'" ci/bench-plot.gp
# writes O.svg and O.png.
load fit
# DAT's columns: x, micro ticks exits exits_root exits_child, mono the same.
do for [fmt in "svg png"] {
    if (fmt eq "svg") {
        set terminal svg size 800,960 dynamic enhanced font "sans,12" background rgb "white"
    } else {
        set terminal png size 800,960 font "sans,10" background rgb "white"
    }
    set output out.".".fmt
    set multiplot layout 3,1 title what noenhanced
    set grid
    set key top left
    set logscale x 2
    set xlabel xname noenhanced
    set samples 400
    set ylabel "TSC ticks per unit (log)"
    set logscale y 10
    plot dat using 1:2 with points pt 7 ps 1.2 lc rgb "#1f77b4" title "micro", \
         a_micro_ticks + b_micro_ticks * x with lines lc rgb "#1f77b4" \
           title sprintf("micro fit %.0f + %.2f x", a_micro_ticks, b_micro_ticks), \
         dat using 1:6 with points pt 5 ps 1.2 lc rgb "#d62728" title "mono", \
         a_mono_ticks + b_mono_ticks * x with lines lc rgb "#d62728" \
           title sprintf("mono fit %.0f + %.2f x", a_mono_ticks, b_mono_ticks)
    unset logscale y
    set ylabel "micro - mono, ticks per unit"
    plot dat using 1:($2 - $6) with linespoints pt 7 ps 1.2 lc rgb "#2ca02c" title "measured", \
         (a_micro_ticks - a_mono_ticks) + (b_micro_ticks - b_mono_ticks) * x with lines \
           lc rgb "#7f7f7f" title "fits", \
         0 with lines lc rgb "black" notitle
    set ylabel "VM exits per unit (root + child)"
    set yrange [0:*]
    plot dat using 1:3 with linespoints pt 7 ps 1.2 lc rgb "#1f77b4" title "micro", \
         dat using 1:7 with linespoints pt 5 ps 1.2 lc rgb "#d62728" title "mono"
    unset multiplot
    unset output
    set yrange [*:*]
}
