package main

import "math"

// The two small models storybot fits: a softmax ranker (which candidate of a
// list is right) and a logistic regression (is this one right). Both are
// linear in a few general features and fitted by full-batch gradient
// descent from zero, in a fixed order, so a refit on the same data gives the
// same weights to the last bit.

// rankList is one question's candidates: their features and which of them
// are right.
type rankList struct {
	feats [][]float64
	gold  []bool
	group string // for cross-validation: the story the question is about
	w     float64
}

// fitSoftmax fits weights w maximising the log-likelihood that the softmax
// of w·x over each list puts its mass on the list's right candidates, with
// an L2 penalty of l2.
func fitSoftmax(lists []rankList, nf int, l2 float64, iters int) []float64 {
	w := make([]float64, nf)
	grad := make([]float64, nf)
	m := make([]float64, nf) // Adam's moments: converges fast on badly scaled features
	v := make([]float64, nf)
	const lr, b1, b2, eps = 0.05, 0.9, 0.999, 1e-8
	var total float64
	for _, l := range lists {
		total += l.w
	}
	for it := 1; it <= iters; it++ {
		clear(grad)
		for _, l := range lists {
			scores := make([]float64, len(l.feats))
			hi := math.Inf(-1)
			for i, x := range l.feats {
				scores[i] = dotF(w, x)
				hi = max(hi, scores[i])
			}
			var z, zg float64
			for i, s := range scores {
				e := math.Exp(s - hi)
				z += e
				if l.gold[i] {
					zg += e
				}
			}
			if zg == 0 {
				continue
			}
			for i, x := range l.feats {
				e := math.Exp(scores[i] - hi)
				p := e / z
				q := 0.0
				if l.gold[i] {
					q = e / zg
				}
				for f := range grad {
					grad[f] -= l.w * (q - p) * x[f] / total
				}
			}
		}
		adamStep(w, grad, m, v, l2, it, lr, b1, b2, eps)
	}
	return w
}

// logExample is one example of a logistic regression.
type logExample struct {
	x     []float64 // features; a constant 1 is added as the last weight
	y     bool
	group string
	w     float64
}

// fitLogistic fits a logistic regression with an intercept (the last
// weight) and an L2 penalty of l2 on the other weights.
func fitLogistic(ex []logExample, nf int, l2 float64, iters int) []float64 {
	return fitLogisticSigned(ex, nf, nil, l2, iters)
}

// fitLogisticSigned is fitLogistic with each weight f kept at or above 0
// when signs[f] > 0 and at or below 0 when signs[f] < 0 (projected after
// every step); signs may be nil.
func fitLogisticSigned(ex []logExample, nf int, signs []int, l2 float64, iters int) []float64 {
	w := make([]float64, nf+1)
	grad := make([]float64, nf+1)
	m := make([]float64, nf+1)
	v := make([]float64, nf+1)
	const lr, b1, b2, eps = 0.05, 0.9, 0.999, 1e-8
	var total float64
	for _, e := range ex {
		total += e.w
	}
	for it := 1; it <= iters; it++ {
		clear(grad)
		for _, e := range ex {
			p := logistic(w, e.x)
			y := 0.0
			if e.y {
				y = 1
			}
			for f, x := range e.x {
				grad[f] += e.w * (p - y) * x / total
			}
			grad[nf] += e.w * (p - y) / total
		}
		adamStep(w[:nf], grad[:nf], m[:nf], v[:nf], l2, it, lr, b1, b2, eps)
		adamStep(w[nf:], grad[nf:], m[nf:], v[nf:], 0, it, lr, b1, b2, eps)
		for f, s := range signs {
			if s > 0 && w[f] < 0 || s < 0 && w[f] > 0 {
				w[f] = 0
			}
		}
	}
	return w
}

// logistic is the model's probability for x under weights w (intercept last).
func logistic(w, x []float64) float64 {
	z := w[len(w)-1] + dotF(w[:len(w)-1], x)
	return 1 / (1 + math.Exp(-z))
}

func adamStep(w, grad, m, v []float64, l2 float64, it int, lr, b1, b2, eps float64) {
	for f := range w {
		g := grad[f] + l2*w[f]
		m[f] = b1*m[f] + (1-b1)*g
		v[f] = b2*v[f] + (1-b2)*g*g
		mh := m[f] / (1 - math.Pow(b1, float64(it)))
		vh := v[f] / (1 - math.Pow(b2, float64(it)))
		w[f] -= lr * mh / (math.Sqrt(vh) + eps)
	}
}

func dotF(a, b []float64) float64 {
	var s float64
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// roundWeights keeps six significant digits, so that the written file does
// not change with the last bits of floating point.
func roundWeights(w []float64) []float64 {
	out := make([]float64, len(w))
	for i, x := range w {
		if x == 0 {
			continue
		}
		p := math.Pow(10, 5-math.Floor(math.Log10(math.Abs(x))))
		out[i] = math.Round(x*p) / p
	}
	return out
}
