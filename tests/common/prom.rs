//! `guichet metrics` read back with a real Prometheus text-format parser (`prometheus-parse`),
//! strictly: every line must be a comment the format knows or a sample the parser accepts, every
//! metric must have its `# HELP` and `# TYPE`.

use prometheus_parse::{LineInfo, Scrape, Value};

/// A parsed exposition.
pub struct Metrics {
    /// The samples.
    pub scrape: Scrape,
    /// The text, for messages.
    pub text: String,
}

/// Parses `text`, failing the test on anything the format does not allow.
pub fn parse(text: &str) -> Metrics {
    let mut typed = std::collections::BTreeSet::new();
    for line in text.lines() {
        match LineInfo::parse(line) {
            LineInfo::Type { metric_name, .. } => {
                assert!(
                    typed.insert(metric_name.clone()),
                    "{metric_name} typed twice"
                );
            }
            LineInfo::Sample { metric_name, .. } => {
                assert!(typed.contains(metric_name), "{metric_name} has no # TYPE");
            }
            LineInfo::Doc { .. } => {}
            LineInfo::Empty | LineInfo::Ignored => panic!("not Prometheus text: {line:?}"),
        }
    }
    let scrape = Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).unwrap();
    for sample in &scrape.samples {
        assert!(
            scrape.docs.contains_key(&sample.metric),
            "{} has no # HELP",
            sample.metric
        );
        let name = &sample.metric;
        // Outside it, a name could collide with node_exporter's own (`process_*`).
        assert!(
            name.starts_with("guichet_"),
            "{name}: outside the guichet_ namespace"
        );
    }
    Metrics {
        scrape,
        text: text.to_string(),
    }
}

impl Metrics {
    /// The value of `name` with exactly these labels; fails the test when absent.
    pub fn value(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.get(name, labels)
            .unwrap_or_else(|| panic!("no {name} {labels:?} in:\n{}", self.text))
    }

    /// The value of `name` with exactly these labels, if present.
    pub fn get(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        self.scrape
            .samples
            .iter()
            .find(|s| {
                s.metric == name
                    && labels.len() == s.labels.len()
                    && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v))
            })
            .map(|s| match s.value {
                Value::Gauge(v) | Value::Counter(v) | Value::Untyped(v) => v,
                ref other => panic!("{name}: unexpected value {other:?}"),
            })
    }
}
