// Package testmain runs test binaries whose parallel tests spend their time
// waiting, not computing.
package testmain

import (
	"flag"
	"os"
	"testing"
)

// RunWaiting runs m with up to 32 parallel tests unless -test.parallel was
// given: tests that wait on sessions (discordgo's Session.Close sleeps a
// second) would only queue at the default of one per CPU.
func RunWaiting(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		if err := flag.Set("test.parallel", "32"); err != nil {
			panic(err)
		}
	}
	os.Exit(m.Run())
}
