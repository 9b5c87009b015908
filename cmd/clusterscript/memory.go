package main

import (
	"fmt"

	"clusterscript/lang"

	"github.com/spf13/pflag"
)

// memFlag is --max-memory: the heap a run or a REPL may use.
type memFlag struct{ v *string }

func memoryFlag(fs *pflag.FlagSet) memFlag {
	return memFlag{fs.String("max-memory", "4GiB", "stop a runbook whose heap passes `SIZE` (bytes, or with KiB, MiB, GiB)")}
}

// apply reads the budget and makes it the Go runtime's soft memory limit
// too, so that the collector keeps garbage under it and only what is live
// can pass it; under that limit the collector runs less often
// (lang.ApplyMemoryBudget).
func (f memFlag) apply() (uint64, error) {
	n, err := lang.ParseBytes(*f.v)
	if err != nil {
		return 0, fmt.Errorf("--max-memory: %v", err)
	}
	lang.ApplyMemoryBudget(n)
	return n, nil
}
