# Stopped at hv_main: the symbols and the boot information must be readable.
echo stopped in hv_main\n
print bi->protocol
print bi->region_count > 0
backtrace 2
kill
