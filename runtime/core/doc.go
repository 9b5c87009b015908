// Package core is what every engine of the simulation stands on: the
// virtual clock and its one timer queue, the event log, the Active
// Directory domains and accounts, the servers with their adapters and
// addresses, the shared disks, ASR backups, typed errors and the state
// file. Engines (server clusters, NLB) plug in through the Engine
// interface; the core calls them in the order World.Attach was given them.
//
// World is a synchronous state machine: every exported method either
// validates, mutates and appends events, or returns an error having
// changed nothing.
package core
