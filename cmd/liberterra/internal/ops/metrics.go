package ops

import (
	"context"
	"net/http"
	"time"

	"github.com/liberterra/liberterra/bot"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Outcomes of a question, the "outcome" label of liberterra_questions_total.
// Replies other than answers and refusals are labelled with their kind
// (help, sources, topics, invalid, slow_down, throttled).
const (
	OutcomeAnswered = "answered"
	OutcomeDeclined = "declined"
	OutcomeError    = "error"
)

// Outcome names the outcome of one reply for metrics.
func Outcome(r bot.Reply, err error) string {
	switch {
	case err != nil:
		return OutcomeError
	case r.Kind == bot.KindAnswer:
		return OutcomeAnswered
	case r.Kind == bot.KindDeclined:
		return OutcomeDeclined
	case r.Kind == "":
		return OutcomeError
	}
	return string(r.Kind)
}

// Metrics are the bot's Prometheus metrics, on a registry of their own
// (never the global one), with Go runtime and process metrics alongside.
type Metrics struct {
	Registry *prometheus.Registry

	questions  *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	inflight   prometheus.Gauge
	facts      prometheus.Gauge
	loadSecs   prometheus.Gauge
	reloads    *prometheus.CounterVec
	loadedTime prometheus.Gauge
}

// NewMetrics makes the metrics and registers them on a new registry.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liberterra_questions_total",
			Help: "Questions asked, by front end and outcome (answered, declined, error, or the reply kind: help, sources, topics, invalid, slow_down, throttled).",
		}, []string{"frontend", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "liberterra_answer_duration_seconds",
			Help:    "Time to answer one question, by front end.",
			Buckets: []float64{.00001, .00003, .0001, .0003, .001, .003, .01, .03, .1, .3, 1},
		}, []string{"frontend"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "liberterra_answers_in_flight",
			Help: "Questions being answered now.",
		}),
		facts: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "liberterra_fact_base_facts",
			Help: "Facts in the fact base being served.",
		}),
		loadSecs: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "liberterra_fact_base_load_seconds",
			Help: "Time the fact base being served took to load and check.",
		}),
		loadedTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "liberterra_fact_base_loaded_timestamp_seconds",
			Help: "When the fact base being served was loaded, in Unix seconds.",
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liberterra_fact_base_reloads_total",
			Help: "Fact base reloads, by result (ok, rejected).",
		}, []string{"result"}),
	}
	m.Registry.MustRegister(m.questions, m.latency, m.inflight, m.facts, m.loadSecs, m.loadedTime, m.reloads,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

// FactBaseLoaded records the size and load time of the fact base now served.
func (m *Metrics) FactBaseLoaded(facts int, took time.Duration) {
	m.facts.Set(float64(facts))
	m.loadSecs.Set(took.Seconds())
	m.loadedTime.SetToCurrentTime()
}

// Reloaded counts a reload; ok is false when the new base was rejected.
func (m *Metrics) Reloaded(ok bool) {
	if ok {
		m.reloads.WithLabelValues("ok").Inc()
	} else {
		m.reloads.WithLabelValues("rejected").Inc()
	}
}

// WatchAdapter exports liberterra_adapter_connected{adapter=name}: 1 while
// connected() is true, read at each scrape.
func (m *Metrics) WatchAdapter(name string, connected func() bool) error {
	return m.Registry.Register(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name:        "liberterra_adapter_connected",
		Help:        "Whether a front end is connected to its platform (1) or not (0).",
		ConstLabels: prometheus.Labels{"adapter": name},
	}, func() float64 {
		if connected() {
			return 1
		}
		return 0
	}))
}

// Wrap returns an Answerer that counts and times every question to next.
func (m *Metrics) Wrap(next bot.Answerer) bot.Answerer {
	return bot.AnswererFunc(func(ctx context.Context, q bot.Question) (bot.Reply, error) {
		frontend := q.Frontend
		if frontend == "" {
			frontend = "unknown"
		}
		m.inflight.Inc()
		start := time.Now()
		r, err := next.Answer(ctx, q)
		m.latency.WithLabelValues(frontend).Observe(time.Since(start).Seconds())
		m.inflight.Dec()
		m.questions.WithLabelValues(frontend, Outcome(r, err)).Inc()
		return r, err
	})
}
