package report

import (
	"math"
	"slices"

	"clusterscript/runtime/core"
)

// An Axis maps virtual time to x on the timeline. A run spends hours
// waiting and happens in seconds, so time is not drawn to scale: every
// instant at which something happened gets a place, a short wait between
// two of them is drawn on a log scale, and a long idle gap is drawn
// compressed to a fixed width and labelled with its length.
type Axis struct {
	At    []int64   `json:"at"` // the instants, ascending
	X     []float64 `json:"x"`  // their x, in pixels
	Label []string  `json:"label"`
	Gaps  []Gap     `json:"gaps"`
	Width float64   `json:"width"`
}

// A Gap is a compressed idle stretch between two instants.
type Gap struct {
	X0    float64 `json:"x0"`
	X1    float64 `json:"x1"`
	Label string  `json:"label"` // its length: "idle 3h 59m 54s"
}

// Axis geometry, in pixels.
const (
	axisPad     = 24.0
	longGap     = 2 * core.Minute // longer waits are compressed
	longGapW    = 72.0
	maxAxisW    = 6000.0 // wider axes are scaled down to fit
	minInstantW = 6.0
)

// shortGapWidth is the width of a wait of ms milliseconds up to longGap:
// at least minInstantW, then growing with the logarithm of the seconds.
func shortGapWidth(ms int64) float64 {
	return minInstantW + 48*math.Log10(1+float64(ms)/float64(core.Second))
}

func buildAxis(events []core.Event, from, to int64) Axis {
	at := []int64{from}
	for _, e := range events {
		if e.At != at[len(at)-1] {
			at = append(at, e.At)
		}
	}
	if to > at[len(at)-1] {
		at = append(at, to)
	}
	// Events are in time order; this guards a log that is not.
	slices.Sort(at)
	at = slices.Compact(at)
	a := Axis{At: at, X: make([]float64, len(at)), Label: make([]string, len(at))}
	x := axisPad
	for i := range at {
		if i > 0 {
			g := at[i] - at[i-1]
			if g > longGap {
				a.Gaps = append(a.Gaps, Gap{X0: x, X1: x + longGapW, Label: "idle " + core.FormatDuration(g)})
				x += longGapW
			} else {
				x += shortGapWidth(g)
			}
		}
		a.X[i] = x
		a.Label[i] = core.FormatClock(at[i])[11:]
	}
	a.Width = x + axisPad
	if a.Width > maxAxisW {
		k := (maxAxisW - 2*axisPad) / (a.Width - 2*axisPad)
		for i := range a.X {
			a.X[i] = axisPad + (a.X[i]-axisPad)*k
		}
		for i := range a.Gaps {
			a.Gaps[i].X0 = axisPad + (a.Gaps[i].X0-axisPad)*k
			a.Gaps[i].X1 = axisPad + (a.Gaps[i].X1-axisPad)*k
		}
		a.Width = maxAxisW
	}
	for i := range a.X {
		a.X[i] = math.Round(a.X[i]*10) / 10
	}
	return a
}
