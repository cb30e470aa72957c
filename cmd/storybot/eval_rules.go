package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/storybot/storybot/bot"
)

// evalRules prints, for each answer rule, how often it fired on the set and
// what the scores become without it: the measured worth of every rule.
func evalRules(ctx context.Context, a *app, items []evalItem, w io.Writer) error {
	base, err := evalOutcomes(ctx, a, items, "hybrid")
	if err != nil {
		return err
	}
	all := scoreAll(items, base).Overall
	f := func(v *float64) float64 {
		if v == nil {
			return 0
		}
		return *v
	}
	fmt.Fprintf(w, "%-18s %6s   %-42s\n", "rule", "fired", "without it: Δ hit1, cite, in-quote, refusal, wrongly refused, balanced")
	fmt.Fprintf(w, "%-18s %6s   hit1 %.3f cite %.3f inq %.3f refuse %.3f wrong %.3f bal %.3f\n", "(all rules)", "",
		f(all.Hit1), f(all.CiteHit), f(all.AnswerInQuote), f(all.Refusal), f(all.WronglyRefused), f(all.BalancedRefusal))
	defer func() { a.engine.Disabled = nil }()
	for _, r := range bot.Rules() {
		fired := 0
		for _, o := range base {
			if slices.Contains(o.Fired, r.Name) {
				fired++
			}
		}
		if fired == 0 {
			fmt.Fprintf(w, "%-18s %6d\n", r.Name, 0)
			continue
		}
		a.engine.Disabled = map[string]bool{r.Name: true}
		outs, err := evalOutcomes(ctx, a, items, "hybrid")
		if err != nil {
			return err
		}
		s := scoreAll(items, outs).Overall
		fmt.Fprintf(w, "%-18s %6d   %+.3f %+.3f %+.3f %+.3f %+.3f %+.3f\n", r.Name, fired,
			f(s.Hit1)-f(all.Hit1), f(s.CiteHit)-f(all.CiteHit), f(s.AnswerInQuote)-f(all.AnswerInQuote),
			f(s.Refusal)-f(all.Refusal), f(s.WronglyRefused)-f(all.WronglyRefused), f(s.BalancedRefusal)-f(all.BalancedRefusal))
	}
	return nil
}
