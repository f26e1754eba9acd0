// Package procstat reads what benchmarks report beside their figures: the
// CPU time this process has used (on a shared machine CPU per operation
// survives the noise that makes wall time useless) and the host's load
// average. Where the platform cannot tell, CPU reports 0 and LoadAvg "".
package procstat
