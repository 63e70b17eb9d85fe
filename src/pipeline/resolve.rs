//! The end of an incident: when a service with an open incident reaches a steady state (or
//! its deployment completes), one message says how long it lasted, what failed, and how it
//! ended. The decisions are pure; the Lambda's step ([`resolve`]) reads the ledger and
//! DescribeServices around them.

use crate::diagnose::{catalog, Category, Finding, Lang, Severity};
use crate::incident::{arn_name, Incident};
use crate::render::{duration, strip_placeholders};
use crate::report::{Report, Thread};
use crate::util::time::iso8601_from_epoch;

/// The rule id of the resolved message (no catalog rule: ecs-doctor writes it).
pub const RULE_ID: &str = "incident.resolved";

/// Does this event say the service is healthy (again)?
pub fn is_recovery(incident: &Incident) -> bool {
    incident.task.is_none()
        && incident.service_event.as_ref().is_some_and(|e| {
            matches!(
                e.event_name.as_str(),
                "SERVICE_STEADY_STATE" | "SERVICE_DEPLOYMENT_COMPLETED"
            )
        })
}

/// How the incident ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// The service went back to an older revision; the failed one still has the problem.
    Rollback { to: String, failed: String },
    /// A newer revision than the failed one runs.
    NewRevision { to: String },
    /// The same revision runs again, or no deployment failed: the cause went away.
    Recovered,
}

/// `family:revision` of a task definition ARN (or of `family:revision`).
fn revision(arn: &str) -> Option<(&str, u64)> {
    let (family, rev) = arn_name(arn).rsplit_once(':')?;
    Some((family, rev.parse().ok()?))
}

/// How it ended, from the task definitions that failed in it and the one running now.
pub fn ending(thread: &Thread, current: Option<&str>) -> Ending {
    let (Some(current), Some(failed)) = (
        current,
        thread
            .failed_task_definitions
            .iter()
            .filter_map(|t| revision(t).map(|r| (t, r)))
            .max_by_key(|(_, (_, rev))| *rev),
    ) else {
        return Ending::Recovered;
    };
    let (failed_arn, (family, failed_rev)) = failed;
    match revision(current) {
        Some((f, rev)) if f == family && rev < failed_rev => Ending::Rollback {
            to: arn_name(current).to_string(),
            failed: arn_name(failed_arn).to_string(),
        },
        Some((f, rev)) if f != family || rev > failed_rev => Ending::NewRevision {
            to: arn_name(current).to_string(),
        },
        _ => Ending::Recovered,
    }
}

/// The cause of a rule id in words: the catalog's title without its placeholders.
fn cause_title(rule_id: &str, lang: Lang) -> String {
    catalog::find(rule_id).map_or_else(|| rule_id.to_string(), |r| strip_placeholders(r.text(lang).title))
}

/// The resolved message's report: one info finding that tells the incident's story. Its
/// category is the incident's main cause, so that filters on category still match.
pub fn report(incident: &Incident, thread: Thread, ending: &Ending, lang: Lang) -> Report {
    let place = incident
        .cluster
        .as_deref()
        .map(arn_name)
        .zip(incident.service_event.as_ref().and_then(|e| e.service_name()))
        .map_or_else(String::new, |(c, s)| format!("{c}/{s}"));
    let resolved_at = thread.resolved_at.unwrap_or(thread.opened_at);
    let lasted = duration(resolved_at.saturating_sub(thread.opened_at), lang);
    let opened = iso8601_from_epoch(thread.opened_at as f64);
    let category = thread
        .causes
        .first()
        .and_then(|(rule, _)| catalog::find(rule))
        .map_or(Category::Unknown, |r| r.category);
    let causes = thread
        .causes
        .iter()
        .map(|(rule, n)| format!("{} ×{n} ({rule})", cause_title(rule, lang)))
        .collect::<Vec<_>>();
    let (title, explanation, steps) = match lang {
        Lang::En => {
            let ended = match ending {
                Ending::Rollback { to, failed } => {
                    format!("It ended with a rollback to {to}: revision {failed} still has the problem.")
                }
                Ending::NewRevision { to } => format!("It ended with a new revision, {to}."),
                Ending::Recovered => "The service recovered without a new deployment.".to_string(),
            };
            let steps = match ending {
                Ending::Rollback { failed, .. } => vec![format!(
                    "Fix what made {failed} fail (the causes above) before you deploy it again."
                )],
                _ => Vec::new(),
            };
            (
                format!("Resolved: {place} is healthy again after {lasted}"),
                format!(
                    "The incident opened at {opened} and lasted {lasted}. {} task(s) failed in it: {}. {ended}",
                    thread.failed_tasks,
                    if causes.is_empty() {
                        "no cause was recorded".to_string()
                    } else {
                        causes.join(", ")
                    }
                ),
                steps,
            )
        }
        Lang::Ja => {
            let ended = match ending {
                Ending::Rollback { to, failed } => {
                    format!("{to} へのロールバックで終わりました。リビジョン {failed} にはまだ問題があります。")
                }
                Ending::NewRevision { to } => format!("新しいリビジョン {to} で終わりました。"),
                Ending::Recovered => "新しいデプロイなしにサービスは回復しました。".to_string(),
            };
            let steps = match ending {
                Ending::Rollback { failed, .. } => vec![format!(
                    "{failed} が失敗した原因 (上記) を直してから、もう一度デプロイしてください。"
                )],
                _ => Vec::new(),
            };
            (
                format!("解決: {place} は {lasted} 後に正常に戻りました"),
                format!(
                    "インシデントは {opened} に始まり、{lasted} 続きました。この間に失敗したタスクは {} 件: {}。{ended}",
                    thread.failed_tasks,
                    if causes.is_empty() { "原因の記録なし".to_string() } else { causes.join("、") }
                ),
                steps,
            )
        }
    };
    let finding = Finding::written(RULE_ID, category, Severity::Info, "incident", title, explanation, steps);
    let mut report = Report::from(crate::diagnose::Diagnosis {
        lang,
        findings: vec![finding],
    });
    report.thread = Some(thread);
    report
}

#[cfg(feature = "aws")]
pub(super) use step::resolve;

/// The Lambda's step around the pure decisions above.
#[cfg(feature = "aws")]
mod step {
    use tracing::{info, warn};

    use crate::aws::clients::Target;
    use crate::aws::ledger::LedgerError;
    use crate::aws::{ClusterReads, Ledger, Publisher, TaskSource, TaskSources};
    use crate::incident::Incident;
    use crate::pipeline::budget::{Budget, Stage, SAFETY};
    use crate::pipeline::dedup::Claimed;
    use crate::pipeline::deps::Deps;
    use crate::pipeline::outcome::{self, emit_incident, Outcome, Stop};
    use crate::pipeline::{publish, route, thread};

    pub(in crate::pipeline) async fn resolve<T: TaskSources, P: Publisher, L: Ledger, V, M>(
        deps: &Deps<T, P, L, V, M>,
        mut incident: Incident,
        now: u64,
        budget: &Budget,
    ) -> Result<Outcome, Stop> {
        let Some(unit) = thread::unit(&incident) else {
            return Err(Stop::Skipped("steady state of no known service".into()));
        };
        let resolved = budget
            .run(Stage::Ledger, deps.ledger.resolve(&unit, now))
            .await
            .unwrap_or_else(|_| Err(LedgerError("out of time".into())));
        let thread = match resolved {
            Ok(Some(thread)) => thread,
            Ok(None) => {
                info!(%unit, "steady state without an open incident");
                return Err(Stop::Skipped(format!(
                    "{unit} reached a steady state with no open incident"
                )));
            }
            Err(err) => {
                warn!(%unit, error = %err, "incident ledger unavailable");
                return Err(Stop::Skipped(format!("incident ledger unavailable: {err}")));
            }
        };
        // What runs now and the team topic: without them (out of time) the message still goes
        // out, to the main topic, saying the service recovered.
        let read = async {
            let source = deps.tasks.source_for(&Target::of(&incident)).await;
            let current = current_task_definition(&source, &incident).await;
            let tags = service_tags(&source, &incident).await;
            (current, tags)
        };
        let (current, tags) = budget.run(Stage::Reads, read).await.unwrap_or_default();
        if let Some(tags) = tags {
            incident.service_tags = tags;
        }
        let ending = super::ending(&thread, current.as_deref());
        let report = super::report(&incident, thread, &ending, deps.config.lang);
        let publication = route::publication_logged(&deps.config, &mut incident, &report);
        let claimed = Claimed::none(now);
        let published = publish::publish(deps, &publication, &incident, &report, &claimed, budget).await;
        if published.is_err() {
            // The retry must find the incident open, or the resolved message is lost.
            let reopened = tokio::time::timeout(SAFETY / 2, deps.ledger.reopen(&unit, now))
                .await
                .unwrap_or_else(|_| Err(LedgerError("out of time".into())));
            if let Err(err) = reopened {
                warn!(%unit, error = %err, "could not reopen the incident after a failed publish");
            }
        }
        let message_id = published?;
        info!(%unit, %message_id, ending = ?ending, "incident resolved");
        emit_incident(&incident, &report);
        Ok(outcome::published(&report, message_id))
    }

    /// The service's tags (they name its team topic), `None` when unread.
    async fn service_tags<S: TaskSource>(source: &S, incident: &Incident) -> Option<Vec<(String, String)>> {
        if let (Some(cluster), Some(service)) = (
            incident.cluster.clone(),
            incident
                .service_event
                .as_ref()
                .and_then(|e| e.service_name())
                .map(str::to_string),
        ) {
            // The same team topic as the incident's other messages.
            return source.service_tags(&cluster, &service).await.ok();
        }
        None
    }

    /// The task definition the service runs now: the completed deployment's, else the primary's.
    async fn current_task_definition<S: TaskSource>(source: &S, incident: &Incident) -> Option<String> {
        let cluster = incident.cluster.as_deref()?;
        let event = incident.service_event.as_ref()?;
        let service = event.service_name()?;
        let services = source
            .cluster_reads()
            .describe_services(cluster, &[service.to_string()])
            .await
            .ok()?;
        let deployments = &services.first()?.deployments;
        event
            .deployment_id
            .as_ref()
            .and_then(|id| deployments.iter().find(|d| &d.id == id))
            .or_else(|| deployments.iter().find(|d| d.status.as_deref() == Some("PRIMARY")))
            .and_then(|d| d.task_definition.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::ThreadState;

    fn thread(failed: &[&str]) -> Thread {
        Thread {
            id: "prod/api/100".into(),
            state: ThreadState::Resolved,
            opened_at: 100,
            failed_tasks: 4,
            causes: vec![("image-pull.not-found".into(), 4)],
            failed_task_definitions: failed.iter().map(|s| s.to_string()).collect(),
            resolved_at: Some(100 + 23 * 60),
        }
    }

    #[test]
    fn the_ending_compares_revisions_of_the_failed_family() {
        let arn = |r: u32| format!("arn:aws:ecs:us-east-1:1:task-definition/api:{r}");
        let t = thread(&[&arn(64)]);
        assert_eq!(
            ending(&t, Some(&arn(63))),
            Ending::Rollback {
                to: "api:63".into(),
                failed: "api:64".into()
            }
        );
        assert_eq!(ending(&t, Some(&arn(65))), Ending::NewRevision { to: "api:65".into() });
        assert_eq!(ending(&t, Some(&arn(64))), Ending::Recovered);
        assert_eq!(ending(&thread(&[]), Some(&arn(63))), Ending::Recovered);
        assert_eq!(ending(&t, None), Ending::Recovered);
    }

    #[test]
    fn durations_read_in_both_languages() {
        assert_eq!(duration(45, Lang::En), "45 s");
        assert_eq!(duration(23 * 60 + 5, Lang::En), "23 min");
        assert_eq!(duration(2 * 3600 + 5 * 60, Lang::En), "2 h 5 min");
        assert_eq!(duration(3600, Lang::Ja), "1 時間");
    }
}
