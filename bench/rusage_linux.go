package main

import (
	"os"
	"syscall"
)

// maxRSSKiB is the peak resident memory of a process that has exited, in
// KiB: getrusage's ru_maxrss, which Linux gives in KiB.
func maxRSSKiB(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss
	}
	return 0
}
