// Package testbed runs enigma processes across emulated wide-area links on
// one Linux machine: one network namespace per node, and a link emulator
// in this process that carries every packet between them with the delay,
// jitter, loss (per direction) and rate a manifest gives each pair of
// regions, and cuts a region off, pauses, kills and restarts a node, or
// throttles a link on the manifest's schedule.
//
// Two workloads run in it: the PBFT benchmark (RunConsensus), and the
// marketplace story (RunStory): the dev chain, `enigma node` processes and
// CLI clients each in its node's namespace, whose history of operations
// CheckHistory judges in the style of Jepsen (acknowledged writes durable
// in every honest ledger, records resolvable from every region, no client
// reading an older version than it already saw).
//
// It owns the namespaces (named etb<pid>-<node>), the TUN device that is
// each namespace's only link, the emulator, and the processes it starts in
// them; Close removes all of it, and Open first removes what a run that
// died without closing left behind. Nothing touches the host's network:
// the addresses (10.77.0.0/16) exist only inside the namespaces.
//
// Why TUN and not veth pairs, a bridge and tc netem: netem is the usual
// tool, but the kernels this project runs on may lack it (sch_netem not
// built, no modules to load), while TUN is always there. The emulator is
// then the bridge: a packet a node sends leaves its namespace through its
// TUN device, waits in the emulator for its link's delay, and enters the
// destination's namespace through that node's TUN device.
package testbed
