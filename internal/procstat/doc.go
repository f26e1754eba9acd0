// Package procstat reads what benchmarks report beside their figures: the
// CPU time this process has used (on a shared machine CPU per operation
// survives the noise that makes wall time useless), the CPU time of the
// calling thread (ThreadCPU, Linux), its peak resident memory and the
// host's load average. Where the platform cannot tell, CPU, ThreadCPU and
// PeakRSS report 0 and LoadAvg "".
package procstat
