package main

import "testing"

func TestParseStatus(t *testing.T) {
	status := "Name:\tconnectorgroups\nVmPeak:\t 1234568 kB\nVmHWM:\t  880000 kB\nVmRSS:\t  870000 kB\nThreads:\t6\n"
	rss, hwm, err := parseStatus(status)
	if err != nil || rss != 870000 || hwm != 880000 {
		t.Errorf("parseStatus = %d, %d, %v", rss, hwm, err)
	}
	if _, _, err := parseStatus("Name:\tx\n"); err == nil {
		t.Error("no VmRSS: no error")
	}
	if _, _, err := parseStatus("VmRSS:\t12 MB\nVmHWM:\t1 kB\n"); err == nil {
		t.Error("a unit other than kB: no error")
	}
}
