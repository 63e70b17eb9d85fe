//! Reads the stopped tasks of a cluster, or of some of its services: ListTasks page by page up
//! to a cap, DescribeTasks in batches of [`DESCRIBE_TASKS_BATCH`], backoff while throttled, and a
//! count of the calls. `ecs-doctor scan` reads clusters with it; reads of one service (a failed
//! deployment's tasks, `watch`) are meant to use it too, keeping one deployment's tasks with
//! [`started_by`].
//!
//! Generic over [`ClusterReads`], so it sees no SDK type and runs against a fake in tests.

use std::sync::Arc;

use tokio::task::JoinSet;

use super::reader::{ClusterReads, Listed, ScanError, DESCRIBE_TASKS_BATCH};
use crate::incident::Task;

/// Requests sent by one read. Retries after throttling are requests too, so they count in
/// `list_tasks` and `describe_tasks` as well as in `throttled_retries`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Calls {
    pub list_tasks: u64,
    pub describe_tasks: u64,
    pub throttled_retries: u64,
}

impl Calls {
    fn add(&mut self, other: Calls) {
        self.list_tasks += other.list_tasks;
        self.describe_tasks += other.describe_tasks;
        self.throttled_retries += other.throttled_retries;
    }
}

/// A call that failed (not fatally) after its retries; the rest of the read went on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedCall {
    /// The service whose ListTasks failed; `None` for the whole cluster and for DescribeTasks.
    pub service: Option<String>,
    pub error: ScanError,
}

/// What [`stopped_tasks`] read.
#[derive(Debug, Clone, Default)]
pub struct StoppedTasks {
    /// The described tasks, ordered by ARN.
    pub tasks: Vec<Task>,
    /// Distinct task ARNs listed (at most the cap); tasks ECS forgot meanwhile are not in `tasks`.
    pub listed: usize,
    /// ECS had more stopped tasks than the cap.
    pub capped: bool,
    pub calls: Calls,
    pub failures: Vec<FailedCall>,
}

/// Where a read is, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Listing is over: `count` distinct task ARNs, `capped` when ECS had more.
    Listed { count: usize, capped: bool },
    /// One DescribeTasks batch of `tasks` ARNs is over (answered or failed).
    Described { tasks: usize },
}

/// The stopped tasks of `cluster` (name or ARN): of the `services` named, or with none named,
/// all of them, those outside services included. At most `max` are listed, across the services.
/// `on_step` hears when listing ends and each batch ends.
///
/// `Err` only for a fatal error (credentials, Region); any other failure is in
/// [`StoppedTasks::failures`] and the read goes on without that page or batch.
pub async fn stopped_tasks<S, F>(
    source: &Arc<S>,
    cluster: &str,
    services: &[String],
    max: usize,
    mut on_step: F,
) -> Result<StoppedTasks, ScanError>
where
    S: ClusterReads,
    F: FnMut(Step),
{
    let mut read = StoppedTasks::default();
    // ListTasks takes one serviceName: list each service on its own.
    let scopes: Vec<Option<&str>> = if services.is_empty() {
        vec![None]
    } else {
        services.iter().map(|s| Some(s.as_str())).collect()
    };
    let mut arns: Vec<String> = Vec::new();
    for scope in scopes {
        let budget = max.saturating_sub(arns.len());
        if budget == 0 {
            read.capped = true;
            break;
        }
        match list_stopped(&**source, cluster, scope, budget, &mut read.calls).await {
            Ok(listed) => {
                read.capped |= listed.more;
                arns.extend(listed.arns);
            }
            Err(error) if error.is_fatal() => return Err(error),
            Err(error) => read.failures.push(FailedCall {
                service: scope.map(str::to_string),
                error,
            }),
        }
    }
    arns.sort();
    arns.dedup();
    read.listed = arns.len();
    on_step(Step::Listed {
        count: read.listed,
        capped: read.capped,
    });

    // All batches at once: the source bounds how many calls are in flight.
    let mut batches = JoinSet::new();
    for batch in arns.chunks(DESCRIBE_TASKS_BATCH) {
        let (source, cluster, batch) = (source.clone(), cluster.to_string(), batch.to_vec());
        batches.spawn(async move {
            let mut calls = Calls::default();
            let described = describe_batch(&*source, &cluster, &batch, &mut calls).await;
            (batch.len(), calls, described)
        });
    }
    while let Some(joined) = batches.join_next().await {
        let (asked, calls, described) =
            joined.map_err(|join| ScanError::Other(format!("a scan job ended unexpectedly: {join}")))?;
        read.calls.add(calls);
        on_step(Step::Described { tasks: asked });
        match described {
            Ok(tasks) => read.tasks.extend(tasks),
            Err(error) if error.is_fatal() => return Err(error),
            Err(error) => read.failures.push(FailedCall { service: None, error }),
        }
    }
    // Batches finish in any order: keep the output independent of it.
    read.tasks.sort_by(|a, b| a.task_arn.cmp(&b.task_arn));
    // moto ignores ListTasks' serviceName: filter here too, it costs nothing on AWS.
    if !services.is_empty() {
        read.tasks
            .retain(|task| task.service_name().is_some_and(|s| services.iter().any(|p| p == s)));
    }
    Ok(read)
}

/// Is this task one the deployment started? ECS sets a service task's `startedBy` to the id of
/// the deployment (`ecs-svc/…`) that started it. For `read.tasks.retain(started_by(id))`.
pub fn started_by(deployment_id: &str) -> impl Fn(&Task) -> bool + '_ {
    move |task| task.started_by.as_deref() == Some(deployment_id)
}

/// Stopped task ARNs of a cluster (or of one service), paging until `limit` are found.
pub async fn list_stopped_tasks<S: ClusterReads + ?Sized>(
    source: &S,
    cluster: &str,
    service: Option<&str>,
    limit: usize,
) -> Result<Listed, ScanError> {
    list_stopped(source, cluster, service, limit, &mut Calls::default()).await
}

/// At most [`DESCRIBE_TASKS_BATCH`] tasks, with backoff; tasks ECS no longer knows are left out.
pub async fn describe_tasks<S: ClusterReads + ?Sized>(
    source: &S,
    cluster: &str,
    arns: &[String],
) -> Result<Vec<Task>, ScanError> {
    describe_batch(source, cluster, arns, &mut Calls::default()).await
}

/// Stopped task ARNs of a cluster (or of one service), page after page until `limit` are found.
pub(crate) async fn list_stopped<S: ClusterReads + ?Sized>(
    source: &S,
    cluster: &str,
    service: Option<&str>,
    limit: usize,
    calls: &mut Calls,
) -> Result<Listed, ScanError> {
    let backoff = source.backoff();
    let mut arns = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = backoff
            .retry(&mut calls.throttled_retries, || {
                calls.list_tasks += 1;
                source.list_stopped_tasks_page(cluster, service, token.as_deref())
            })
            .await?;
        arns.extend(page.arns);
        token = page.next_token;
        if arns.len() >= limit || token.is_none() {
            let more = arns.len() > limit || token.is_some();
            arns.truncate(limit);
            return Ok(Listed { arns, more });
        }
    }
}

/// One DescribeTasks batch, retried while throttled.
pub(crate) async fn describe_batch<S: ClusterReads + ?Sized>(
    source: &S,
    cluster: &str,
    arns: &[String],
    calls: &mut Calls,
) -> Result<Vec<Task>, ScanError> {
    source
        .backoff()
        .retry(&mut calls.throttled_retries, || {
            calls.describe_tasks += 1;
            source.describe_tasks_once(cluster, arns)
        })
        .await
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Mutex;
    use std::time::{Duration, Instant};

    use super::*;
    use crate::aws::ecs::reader::{Backoff, ServiceState, TaskPage};
    use crate::incident::ContainerInstance;

    const CLUSTER: &str = "arn:aws:ecs:us-east-1:123456789012:cluster/prod";

    fn arn(i: usize) -> String {
        format!("arn:aws:ecs:us-east-1:123456789012:task/prod/t{i:04}")
    }

    fn task(i: usize, service: &str, started_by: Option<&str>) -> Task {
        Task {
            task_arn: arn(i),
            group: Some(format!("service:{service}")),
            started_by: started_by.map(str::to_string),
            last_status: Some("STOPPED".into()),
            ..Task::default()
        }
    }

    /// `n` stopped tasks of service api, listed newest first (not in ARN order).
    fn tasks(n: usize) -> Vec<Task> {
        (0..n).rev().map(|i| task(i, "api", Some("ecs-svc/1"))).collect()
    }

    /// Stopped tasks as ECS answers them: pages of 100, DescribeTasks of at most 100. Like
    /// moto, ListTasks ignores serviceName.
    struct Fake {
        tasks: Vec<Task>,
        backoff: Backoff,
        /// The next N ListTasks requests are throttled.
        list_throttles: Mutex<u32>,
        /// A DescribeTasks request naming this ARN is throttled, N times.
        describe_throttles: Mutex<BTreeMap<String, u32>>,
        /// ListTasks for this service: ServiceNotFoundException.
        missing_service: Option<&'static str>,
        /// DescribeTasks: rejected credentials.
        fatal: bool,
        requests: Mutex<BTreeMap<&'static str, u64>>,
        /// Sizes of the DescribeTasks requests.
        batches: Mutex<Vec<usize>>,
    }

    impl Fake {
        fn new(tasks: Vec<Task>) -> Fake {
            Fake {
                tasks,
                backoff: Backoff {
                    base: Duration::from_millis(1),
                    max: Duration::from_millis(2),
                    retries: 2,
                },
                list_throttles: Mutex::new(0),
                describe_throttles: Mutex::default(),
                missing_service: None,
                fatal: false,
                requests: Mutex::default(),
                batches: Mutex::default(),
            }
        }

        fn count(&self, operation: &'static str) {
            *self.requests.lock().unwrap().entry(operation).or_default() += 1;
        }

        fn throttled(operation: &str) -> ScanError {
            ScanError::Throttled(format!("ecs:{operation}: ThrottlingException: Rate exceeded"))
        }
    }

    impl ClusterReads for Fake {
        async fn list_clusters(&self) -> Result<Vec<String>, ScanError> {
            Ok(vec![CLUSTER.into()])
        }

        async fn list_stopped_tasks_page(
            &self,
            _cluster: &str,
            service: Option<&str>,
            next_token: Option<&str>,
        ) -> Result<TaskPage, ScanError> {
            self.count("ListTasks");
            {
                let mut throttles = self.list_throttles.lock().unwrap();
                if *throttles > 0 {
                    *throttles -= 1;
                    return Err(Fake::throttled("ListTasks"));
                }
            }
            if service.is_some() && service == self.missing_service {
                return Err(ScanError::ServiceNotFound(
                    "ecs:ListTasks: ServiceNotFoundException".into(),
                ));
            }
            let start: usize = next_token.map_or(0, |t| t.parse().unwrap());
            let end = (start + 100).min(self.tasks.len());
            Ok(TaskPage {
                arns: self.tasks[start..end].iter().map(|t| t.task_arn.clone()).collect(),
                next_token: (end < self.tasks.len()).then(|| end.to_string()),
            })
        }

        async fn describe_tasks_once(&self, _cluster: &str, arns: &[String]) -> Result<Vec<Task>, ScanError> {
            self.count("DescribeTasks");
            self.batches.lock().unwrap().push(arns.len());
            if self.fatal {
                return Err(ScanError::Fatal("AWS rejected the credentials".into()));
            }
            for (throttled, left) in self.describe_throttles.lock().unwrap().iter_mut() {
                if *left > 0 && arns.contains(throttled) {
                    *left -= 1;
                    return Err(Fake::throttled("DescribeTasks"));
                }
            }
            Ok(self
                .tasks
                .iter()
                .filter(|t| arns.contains(&t.task_arn))
                .cloned()
                .collect())
        }

        fn backoff(&self) -> Backoff {
            self.backoff
        }

        async fn list_services(&self, _cluster: &str) -> Result<Vec<String>, ScanError> {
            Ok(Vec::new())
        }

        async fn describe_services(
            &self,
            _cluster: &str,
            _services: &[String],
        ) -> Result<Vec<ServiceState>, ScanError> {
            Ok(Vec::new())
        }

        async fn list_container_instances(&self, _cluster: &str) -> Result<Vec<String>, ScanError> {
            Ok(Vec::new())
        }

        async fn describe_container_instances(
            &self,
            _cluster: &str,
            _arns: &[String],
        ) -> Result<Vec<ContainerInstance>, ScanError> {
            Ok(Vec::new())
        }

        fn api_calls(&self) -> BTreeMap<String, u64> {
            let requests = self.requests.lock().unwrap();
            requests.iter().map(|(k, v)| (k.to_string(), *v)).collect()
        }
    }

    /// Reads `services` of the fake's cluster; returns what was read and the steps heard.
    async fn read_tasks(fake: &Arc<Fake>, services: &[&str], max: usize) -> (StoppedTasks, Vec<Step>) {
        let services: Vec<String> = services.iter().map(|s| s.to_string()).collect();
        let mut steps = Vec::new();
        let read = stopped_tasks(fake, CLUSTER, &services, max, |step| steps.push(step))
            .await
            .expect("not fatal");
        (read, steps)
    }

    fn arns(read: &StoppedTasks) -> Vec<String> {
        read.tasks.iter().map(|t| t.task_arn.clone()).collect()
    }

    fn sorted_batches(fake: &Fake) -> Vec<usize> {
        let mut batches = fake.batches.lock().unwrap().clone();
        batches.sort();
        batches
    }

    #[tokio::test]
    async fn more_than_100_stopped_tasks_are_listed_in_pages_and_described_in_batches_of_100() {
        // GIVEN 250 stopped tasks: three ListTasks pages
        let fake = Arc::new(Fake::new(tasks(250)));

        // WHEN the cluster's stopped tasks are read
        let (read, steps) = read_tasks(&fake, &[], 1000).await;

        // THEN every page is listed, every task described in batches of at most 100, in ARN order
        assert_eq!(arns(&read), (0..250).map(arn).collect::<Vec<_>>());
        assert_eq!((read.listed, read.capped), (250, false));
        assert!(read.failures.is_empty(), "{:?}", read.failures);
        assert_eq!(sorted_batches(&fake), vec![50, 100, 100]);
        let expected = Calls {
            list_tasks: 3,
            describe_tasks: 3,
            throttled_retries: 0,
        };
        assert_eq!(read.calls, expected);
        assert_eq!(fake.api_calls().get("ListTasks"), Some(&3));
        assert_eq!(fake.api_calls().get("DescribeTasks"), Some(&3));
        // AND the listing is heard once, before the batches, and each batch once
        assert_eq!(
            steps[0],
            Step::Listed {
                count: 250,
                capped: false
            }
        );
        let mut described: Vec<usize> = steps[1..]
            .iter()
            .map(|s| match s {
                Step::Described { tasks } => *tasks,
                other => panic!("{other:?} after the listing"),
            })
            .collect();
        described.sort();
        assert_eq!(described, vec![50, 100, 100]);
    }

    #[tokio::test]
    async fn the_cap_stops_paging_and_is_said() {
        // GIVEN 250 stopped tasks
        // WHEN at most 150 are read THEN paging stops after the second page and says there is more
        let fake = Arc::new(Fake::new(tasks(250)));
        let (read, steps) = read_tasks(&fake, &[], 150).await;
        assert_eq!((read.listed, read.capped, read.tasks.len()), (150, true, 150));
        assert_eq!(read.calls.list_tasks, 2);
        assert_eq!(sorted_batches(&fake), vec![50, 100]);
        assert_eq!(
            steps[0],
            Step::Listed {
                count: 150,
                capped: true
            }
        );

        // WHEN the cap is exactly the number of tasks THEN nothing was left out
        let fake = Arc::new(Fake::new(tasks(250)));
        let (read, _) = read_tasks(&fake, &[], 250).await;
        assert_eq!((read.listed, read.capped), (250, false));
        assert_eq!(read.calls.list_tasks, 3);

        // WHEN the cap is 0 THEN nothing is asked and the read says it is capped
        let fake = Arc::new(Fake::new(tasks(250)));
        let (read, _) = read_tasks(&fake, &[], 0).await;
        assert_eq!((read.listed, read.capped), (0, true));
        assert_eq!(read.calls, Calls::default());
        assert!(fake.api_calls().is_empty());
    }

    #[tokio::test]
    async fn a_throttled_call_is_retried_after_a_backoff_and_counted() {
        // GIVEN ListTasks throttled once, and the DescribeTasks batch of task 120 throttled once;
        // each retry waits at least half of 40 ms
        let mut fake = Fake::new(tasks(150));
        fake.backoff = Backoff {
            base: Duration::from_millis(40),
            max: Duration::from_millis(40),
            retries: 2,
        };
        *fake.list_throttles.lock().unwrap() = 1;
        fake.describe_throttles.lock().unwrap().insert(arn(120), 1);
        let fake = Arc::new(fake);

        // WHEN read
        let started = Instant::now();
        let (read, _) = read_tasks(&fake, &[], 1000).await;

        // THEN everything is read, after two waits, and the retries are counted as requests too
        assert!(read.failures.is_empty(), "{:?}", read.failures);
        assert_eq!(read.tasks.len(), 150);
        let expected = Calls {
            list_tasks: 3,
            describe_tasks: 3,
            throttled_retries: 2,
        };
        assert_eq!(read.calls, expected);
        assert_eq!(fake.api_calls().get("ListTasks"), Some(&3));
        assert_eq!(fake.api_calls().get("DescribeTasks"), Some(&3));
        assert!(
            started.elapsed() >= Duration::from_millis(40),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn throttling_that_outlasts_the_retries_is_a_failure_and_the_rest_is_read() {
        // GIVEN the DescribeTasks batch of task 120 always throttled, one retry allowed
        let mut fake = Fake::new(tasks(150));
        fake.backoff.retries = 1;
        fake.describe_throttles.lock().unwrap().insert(arn(120), u32::MAX);
        let fake = Arc::new(fake);

        // WHEN read
        let (read, _) = read_tasks(&fake, &[], 1000).await;

        // THEN that batch is one failure after two requests, and the other batch is read
        assert_eq!(arns(&read), (0..100).map(arn).collect::<Vec<_>>());
        assert_eq!(read.failures.len(), 1, "{:?}", read.failures);
        assert_eq!(read.failures[0].service, None);
        assert!(
            matches!(read.failures[0].error, ScanError::Throttled(ref m) if m.contains("DescribeTasks")),
            "{:?}",
            read.failures
        );
        assert_eq!(read.calls.describe_tasks, 3);
        assert_eq!(read.calls.throttled_retries, 1);
    }

    #[tokio::test]
    async fn a_fatal_error_ends_the_read() {
        let mut fake = Fake::new(tasks(150));
        fake.fatal = true;
        let fake = Arc::new(fake);
        let result = stopped_tasks(&fake, CLUSTER, &[], 1000, |_| {}).await;
        assert!(matches!(result, Err(ScanError::Fatal(_))), "{result:?}");
    }

    #[tokio::test]
    async fn services_are_listed_one_by_one_and_only_their_tasks_are_kept() {
        // GIVEN tasks of api, of web and outside services (ListTasks ignores serviceName, like
        // moto), and a service `nope` the cluster does not have
        let mut all = vec![
            task(1, "api", Some("ecs-svc/1")),
            task(2, "web", Some("ecs-svc/9")),
            task(3, "api", Some("ecs-svc/2")),
        ];
        all.push(Task {
            group: Some("family:batch".into()),
            ..task(4, "", Some("events-rule/nightly"))
        });
        let mut fake = Fake::new(all);
        fake.missing_service = Some("nope");
        let fake = Arc::new(fake);

        // WHEN api and nope are read
        let (read, _) = read_tasks(&fake, &["api", "nope"], 1000).await;

        // THEN each service is listed on its own, the same ARN counts once, only api's tasks are
        // kept, and the missing service is a failure naming it
        assert_eq!(read.calls.list_tasks, 2);
        assert_eq!(read.listed, 4);
        assert_eq!(arns(&read), vec![arn(1), arn(3)]);
        assert_eq!(read.failures.len(), 1, "{:?}", read.failures);
        assert_eq!(read.failures[0].service.as_deref(), Some("nope"));
        assert!(matches!(read.failures[0].error, ScanError::ServiceNotFound(_)));

        // AND the cap is shared by the services: the second is not asked once it is reached
        let (read, _) = read_tasks(&fake, &["api", "web"], 4).await;
        assert_eq!(read.calls.list_tasks, 1);
        assert!(read.capped);
    }

    #[tokio::test]
    async fn started_by_keeps_the_tasks_of_one_deployment() {
        // GIVEN api's stopped tasks of two deployments, and one started by hand
        let fake = Arc::new(Fake::new(vec![
            task(1, "api", Some("ecs-svc/1")),
            task(2, "api", Some("ecs-svc/2")),
            task(3, "api", None),
            task(4, "api", Some("ecs-svc/2")),
        ]));

        // WHEN api's stopped tasks are read and those deployment 2 started are kept
        let (mut read, _) = read_tasks(&fake, &["api"], 1000).await;
        read.tasks.retain(started_by("ecs-svc/2"));

        // THEN only deployment 2's tasks remain; a prefix of the id does not match
        assert_eq!(arns(&read), vec![arn(2), arn(4)]);
        assert!(!started_by("ecs-svc/")(&task(2, "api", Some("ecs-svc/2"))));
        assert!(!started_by("ecs-svc/2")(&task(3, "api", None)));
    }
}
