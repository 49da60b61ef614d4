package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Figures measured while other processes keep the machine busy are not
// comparable with others: on two cores, a compiler or a test run beside
// the benchmark doubles its latencies. So each size also records how much
// CPU the rest of the machine used meanwhile: the machine's busy time
// (/proc/stat) less the benchmark's own (this process, the children it
// waited for, and the Neo4j process it measures). Linux only; elsewhere
// nothing is recorded.

// clockTicks is the unit of /proc's CPU times (USER_HZ), 100 on Linux.
const clockTicks = 100

// cpuMeter measures the CPU the rest of the machine uses.
type cpuMeter struct {
	start       time.Time
	busy, own   float64 // seconds, at the start
	steal       float64
	neo4jPID    int
	neo4jAtBase float64 // the Neo4j process's CPU when counting began
}

// startCPUMeter starts counting.
func startCPUMeter() *cpuMeter {
	m := &cpuMeter{start: time.Now()}
	m.busy, m.steal = machineCPU()
	m.own = processCPU("self", true)
	return m
}

// watchNeo4j counts the CPU of the Neo4j process pid as the benchmark's
// own from now on (its CPU before now counts too when started is set: a
// Neo4j the benchmark has just started).
func (m *cpuMeter) watchNeo4j(pid int, started bool) {
	m.neo4jPID = pid
	m.neo4jAtBase = 0
	if !started {
		m.neo4jAtBase = processCPU(strconv.Itoa(pid), false)
	}
}

// Noise says how much CPU others used while a size was measured.
type Noise struct {
	// OtherCores is the average number of cores the rest of the machine
	// kept busy; StealCores what the hypervisor took.
	OtherCores float64 `json:"otherCores"`
	StealCores float64 `json:"stealCores"`
	Seconds    float64 `json:"seconds"`
}

// stop returns what others used since start; nil where /proc is missing.
func (m *cpuMeter) stop() *Noise {
	busy, steal := machineCPU()
	if busy == 0 {
		return nil
	}
	own := processCPU("self", true) - m.own
	if m.neo4jPID != 0 {
		own += processCPU(strconv.Itoa(m.neo4jPID), false) - m.neo4jAtBase
	}
	wall := time.Since(m.start).Seconds()
	return &Noise{
		OtherCores: max(0, busy-m.busy-own) / wall,
		StealCores: max(0, steal-m.steal) / wall,
		Seconds:    wall,
	}
}

// machineCPU returns the busy and the stolen CPU seconds of the machine
// since boot, from the first line of /proc/stat.
func machineCPU() (busy, steal float64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line) // cpu user nice system idle iowait irq softirq steal ...
	if len(fields) < 9 || fields[0] != "cpu" {
		return 0, 0
	}
	ticks := make([]float64, len(fields))
	for i := 1; i < len(fields); i++ {
		ticks[i], _ = strconv.ParseFloat(fields[i], 64)
	}
	busy = ticks[1] + ticks[2] + ticks[3] + ticks[6] + ticks[7]
	return busy / clockTicks, ticks[8] / clockTicks
}

// processCPU returns the user and system CPU seconds of process pid
// ("self" for this one), with those of the children it waited for when
// children is set; 0 when it cannot be read.
func processCPU(pid string, children bool) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%s/stat", pid))
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: count fields
	// after its closing parenthesis, which start with field 3.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(fields) < 15 {
		return 0
	}
	var total float64
	last := 12 // fields[11] and [12] are utime and stime (fields 14, 15)
	if children {
		last = 14 // and cutime, cstime
	}
	for i := 11; i <= last; i++ {
		v, _ := strconv.ParseFloat(fields[i], 64)
		total += v
	}
	return total / clockTicks
}

// sizeNoise is the noise measured during one size's run.
type sizeNoise struct {
	concepts int
	noise    *Noise
}

// noiseNote is the paragraph that warns of other work during the runs;
// "" when none was measured.
func noiseNote(sizes []sizeNoise) string {
	var noise []string
	for _, s := range sizes {
		if s.noise != nil {
			noise = append(noise, fmt.Sprintf("%.2f cores during the %s-concept run (%s)", s.noise.OtherCores, count(s.concepts), durationText(s.noise.Seconds)))
		}
	}
	if len(noise) == 0 {
		return ""
	}
	return fmt.Sprintf("Other processes kept busy on average %s; figures taken beside more than about 0.1 core of other work are not comparable with quiet runs.\n\n", strings.Join(noise, ", "))
}
