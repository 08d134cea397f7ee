# Run by GTKWave (gtkwave -S) on a trace: writes the number of signals, each
# signal's name and the last time stamp to $GTKW_OUT, then quits.
set out [open $::env(GTKW_OUT) w]
set n [gtkwave::getNumFacs]
puts $out "signals $n"
for {set i 0} {$i < $n} {incr i} {
  puts $out [gtkwave::getFacName $i]
}
puts $out "end_time [gtkwave::getMaxTime]"
close $out
gtkwave::/File/Quit
