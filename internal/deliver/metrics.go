package deliver

import "github.com/prometheus/client_golang/prometheus"

// Metrics count what the dispatcher does, for /metrics.
type Metrics struct {
	mails *prometheus.CounterVec
}

// NewMetrics registers the dispatcher's metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{mails: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lanyard_mail_total",
		Help: "Mail delivery attempts by result: sent (accepted by the SMTP server), retry (temporary failure), failed (given up).",
	}, []string{"result"})}
	reg.MustRegister(m.mails)
	return m
}

func (m *Metrics) add(result string) {
	if m != nil {
		m.mails.WithLabelValues(result).Inc()
	}
}
