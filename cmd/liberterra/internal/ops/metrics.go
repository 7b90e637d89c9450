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
	reconnects *prometheus.CounterVec
	refused    *prometheus.CounterVec
	duplicates *prometheus.CounterVec
	panics     *prometheus.CounterVec
	feedback   *prometheus.CounterVec

	redisOutages   prometheus.Counter     // nil until WatchRedis
	redisFallbacks *prometheus.CounterVec // nil until WatchRedis
}

var _ bot.Observer = (*Metrics)(nil)

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
		reconnects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liberterra_adapter_reconnects_total",
			Help: "Connections to a platform replaced by new ones: after a drop, a silence, or at the platform's request.",
		}, []string{"adapter"}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liberterra_events_refused_total",
			Help: "Events and requests not taken, by reason: queue_full, shutting_down, not_ready, bad_signature, too_large, slow_body, busy, malformed.",
		}, []string{"adapter", "reason"}),
		duplicates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liberterra_duplicates_total",
			Help: "Retries and replays of events already answered, not answered again.",
		}, []string{"adapter"}),
		panics: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liberterra_panics_recovered_total",
			Help: "Panics on platform input, recovered.",
		}, []string{"adapter"}),
		feedback: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "liberterra_feedback_total",
			Help: "Votes people gave answers, by front end and vote (up: right, down: wrong).",
		}, []string{"frontend", "vote"}),
	}
	m.Registry.MustRegister(m.questions, m.latency, m.inflight, m.facts, m.loadSecs, m.loadedTime, m.reloads,
		m.reconnects, m.refused, m.duplicates, m.panics, m.feedback,
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

// Feedback counts a vote on an answer (bot.FeedbackLog's Count).
func (m *Metrics) Feedback(frontend string, vote bot.Vote) {
	m.feedback.WithLabelValues(frontend, string(vote)).Inc()
}

// Reconnected implements bot.Observer.
func (m *Metrics) Reconnected(frontend string) { m.reconnects.WithLabelValues(frontend).Inc() }

// Refused implements bot.Observer.
func (m *Metrics) Refused(frontend, reason string) { m.refused.WithLabelValues(frontend, reason).Inc() }

// Duplicate implements bot.Observer.
func (m *Metrics) Duplicate(frontend string) { m.duplicates.WithLabelValues(frontend).Inc() }

// Panicked implements bot.Observer.
func (m *Metrics) Panicked(frontend string) { m.panics.WithLabelValues(frontend).Inc() }

// WatchFrontEnd exports, for the front end named name, its connection
// state and its work queue: jobs waiting and running, the capacity, and
// deliveries by result. Values are read at each scrape. The reconnect and
// panic counters start at 0.
func (m *Metrics) WatchFrontEnd(name string, connected func() bool, q *bot.Queue) error {
	labels := prometheus.Labels{"adapter": name}
	gauge := func(metric, help string, f func() float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: metric, Help: help, ConstLabels: labels}, f)
	}
	counter := func(metric, help string, l prometheus.Labels, f func() float64) prometheus.Collector {
		for k, v := range labels {
			l[k] = v
		}
		return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: metric, Help: help, ConstLabels: l}, f)
	}
	cs := []prometheus.Collector{
		gauge("liberterra_adapter_connected", "Whether a front end is connected to its platform (1) or not (0).", func() float64 {
			if connected() {
				return 1
			}
			return 0
		}),
		gauge("liberterra_queue_jobs", "Jobs (an answer to post) waiting for a worker.", func() float64 { return float64(q.Len()) }),
		gauge("liberterra_queue_running", "Jobs being worked on.", func() float64 { return float64(q.Running()) }),
		gauge("liberterra_queue_capacity", "Jobs that may wait; past it, events are refused so the platform retries.", func() float64 {
			return float64(q.Config().Capacity)
		}),
		counter("liberterra_deliveries_total", "Jobs finished, by result: ok (answer posted, or nothing to post) or failed.",
			prometheus.Labels{"result": "ok"}, func() float64 { return float64(q.Stats().Succeeded) }),
		counter("liberterra_deliveries_total", "Jobs finished, by result: ok (answer posted, or nothing to post) or failed.",
			prometheus.Labels{"result": "failed"}, func() float64 { return float64(q.Stats().Failed) }),
	}
	for _, c := range cs {
		if err := m.Registry.Register(c); err != nil {
			return err
		}
	}
	m.reconnects.WithLabelValues(name)
	m.panics.WithLabelValues(name)
	m.duplicates.WithLabelValues(name)
	return nil
}

// WatchDedupe exports the keys a dedupe store holds and how many it had to
// forget early.
func (m *Metrics) WatchDedupe(d *bot.MemoryDedupe) {
	m.Registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "liberterra_dedupe_keys",
			Help: "Event keys remembered to recognise retries and replays."}, func() float64 { return float64(d.Len()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "liberterra_dedupe_evicted_total",
			Help: "Keys forgotten before their window ended because the store was full."}, func() float64 { return float64(d.Evicted()) }),
	)
}

// WatchRedis exports whether Redis is reachable (up is read at each
// scrape) and starts the counters of outages and of operations served in
// the process meanwhile, for each store named.
func (m *Metrics) WatchRedis(up func() bool, stores ...string) {
	m.redisOutages = prometheus.NewCounter(prometheus.CounterOpts{Name: "liberterra_redis_outages_total",
		Help: "Times Redis became unreachable (each is logged once, and once more when it is back)."})
	m.redisFallbacks = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "liberterra_redis_fallbacks_total",
		Help: "Operations on shared state served in this process because Redis was unreachable, by store."}, []string{"store"})
	m.Registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "liberterra_redis_up",
			Help: "Whether Redis, where the replicas share their state, is reachable (1) or not (0)."}, func() float64 {
			if up() {
				return 1
			}
			return 0
		}),
		m.redisOutages, m.redisFallbacks)
	for _, s := range stores {
		m.redisFallbacks.WithLabelValues(s)
	}
}

// RedisDown counts an outage of Redis.
func (m *Metrics) RedisDown() {
	if m.redisOutages != nil {
		m.redisOutages.Inc()
	}
}

// RedisFallback counts one operation of store served in the process.
func (m *Metrics) RedisFallback(store string) {
	if m.redisFallbacks != nil {
		m.redisFallbacks.WithLabelValues(store).Inc()
	}
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
