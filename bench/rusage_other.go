//go:build !linux

package main

import "os"

// maxRSSKiB is 0, unknown: ru_maxrss is in KiB only on Linux (bytes on
// macOS, absent on Windows), and the figures are published from Linux.
func maxRSSKiB(*os.ProcessState) int64 { return 0 }
