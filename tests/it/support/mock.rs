//! Canned answers for SDK clients, for what moto cannot produce: denials, throttling, retries,
//! exact pages. The SDK runs unchanged (serialisation, retries, error parsing of raw HTTP
//! answers); an interceptor only swaps in the answer a rule gives.
//!
//! Why our own and not `aws-smithy-mocks`: that crate switches on `test-util` features of the
//! smithy runtime and needs `test-util` on every SDK crate, so the test build compiled the whole
//! SDK a second time (issue 20). This module needs no feature that `cargo build` does not use.
//!
//! Use: `mock!(aws_sdk_ecs::Client::list_tasks).then_output(|| …)`, then
//! `mock_client!(aws_sdk_ecs, RuleMode::MatchAny, [&rule])`.
// Each test crate uses a different part of it.
#![allow(unused_macros, unused_imports)]

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    http_client_fn, HttpConnector, HttpConnectorFuture, SharedHttpClient, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, BeforeTransmitInterceptorContextMut, Error,
    FinalizerInterceptorContextMut, Input, Output,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse, OrchestratorError};
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

/// How a client's rules are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleMode {
    /// Each call must match the next rule; a single-answer rule is used once.
    Sequential,
    /// Each call takes the first rule that matches and still has answers.
    MatchAny,
}

type Matcher = Arc<dyn Fn(&Input) -> bool + Send + Sync>;
/// Makes an output; the input is there unless the call is a retry.
type MakeOutput = Arc<dyn Fn(Option<&Input>) -> Output + Send + Sync>;
/// Carries an operation's input, output and error types without holding any.
type Types<I, O, E> = PhantomData<fn() -> (I, O, E)>;

/// One answer, made when a call takes it (the input is there unless the call is a retry).
#[derive(Clone)]
enum Answer {
    Output(MakeOutput),
    Error(Arc<dyn Fn() -> Error + Send + Sync>),
    Http(Arc<dyn Fn() -> HttpResponse + Send + Sync>),
}

/// What a call got, kept between the interceptor's hooks.
enum Given {
    Output(Output),
    Error(Error),
    Http(HttpResponse),
}

impl Answer {
    fn give(&self, input: Option<&Input>) -> Given {
        match self {
            Answer::Output(f) => Given::Output(f(input)),
            Answer::Error(f) => Given::Error(f()),
            Answer::Http(f) => Given::Http(f()),
        }
    }
}

/// A step of a rule: an answer given `times` times (`None`: for ever).
#[derive(Clone)]
struct Step {
    answer: Answer,
    times: Option<usize>,
}

#[derive(Default)]
struct Progress {
    step: usize,
    used: usize,
    calls: usize,
}

/// Answers for one operation; clones share their progress, so a test keeps one to count calls.
#[derive(Clone)]
pub struct Rule {
    matcher: Matcher,
    steps: Arc<Vec<Step>>,
    /// Built with `then_…`: one answer for ever (used once in `Sequential` mode).
    single: bool,
    progress: Arc<Mutex<Progress>>,
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Rule({} steps, {} calls)", self.steps.len(), self.num_calls())
    }
}

impl Rule {
    fn new(matcher: Matcher, steps: Vec<Step>, single: bool) -> Rule {
        Rule {
            matcher,
            steps: Arc::new(steps),
            single,
            progress: Arc::default(),
        }
    }

    /// How many calls this rule answered.
    pub fn num_calls(&self) -> usize {
        self.progress.lock().expect("rule progress").calls
    }

    fn exhausted(&self) -> bool {
        self.progress.lock().expect("rule progress").step >= self.steps.len()
    }

    fn next(&self, input: Option<&Input>) -> Option<Given> {
        let mut p = self.progress.lock().expect("rule progress");
        let step = self.steps.get(p.step)?.clone();
        p.used += 1;
        p.calls += 1;
        if step.times.is_some_and(|n| p.used >= n) {
            p.step += 1;
            p.used = 0;
        }
        drop(p);
        Some(step.answer.give(input))
    }
}

/// The start of a rule for one operation, typed by `mock!`.
pub struct RuleBuilder<I, O, E> {
    matcher: Matcher,
    types: Types<I, O, E>,
}

impl<I, O, E> RuleBuilder<I, O, E>
where
    I: fmt::Debug + Send + Sync + 'static,
    O: fmt::Debug + Send + Sync + 'static,
    E: std::error::Error + fmt::Debug + Send + Sync + 'static,
{
    /// Used by `mock!`: the two closures are never called, they only carry the operation's types.
    pub fn for_operation<R, F>(_input: impl Fn() -> I, _send: impl Fn() -> F) -> Self
    where
        F: Future<Output = Result<O, SdkError<E, R>>>,
    {
        RuleBuilder {
            matcher: Arc::new(|input: &Input| input.downcast_ref::<I>().is_some()),
            types: PhantomData,
        }
    }

    /// Only calls whose input passes `f`.
    pub fn match_requests(self, f: impl Fn(&I) -> bool + Send + Sync + 'static) -> Self {
        RuleBuilder {
            matcher: Arc::new(move |input: &Input| input.downcast_ref::<I>().is_some_and(&f)),
            types: PhantomData,
        }
    }

    pub fn then_output(self, f: impl Fn() -> O + Send + Sync + 'static) -> Rule {
        self.single(output(f))
    }

    /// An output made from the call's input.
    pub fn then_compute_output(self, f: impl Fn(&I) -> O + Send + Sync + 'static) -> Rule {
        self.single(Answer::Output(Arc::new(move |input| {
            let input = input
                .and_then(|i| i.downcast_ref::<I>())
                .expect("then_compute_output: a retried call has no input; use a sequence");
            Output::erase(f(input))
        })))
    }

    pub fn then_error(self, f: impl Fn() -> E + Send + Sync + 'static) -> Rule {
        self.single(error(f))
    }

    /// A raw HTTP answer, parsed by the SDK like the service's own (and retried if it says so).
    pub fn then_http_response(self, f: impl Fn() -> HttpResponse + Send + Sync + 'static) -> Rule {
        self.single(Answer::Http(Arc::new(f)))
    }

    /// Several answers in order.
    pub fn sequence(self) -> Sequence<O, E> {
        Sequence {
            matcher: self.matcher,
            steps: Vec::new(),
            types: PhantomData,
        }
    }

    fn single(self, answer: Answer) -> Rule {
        Rule::new(self.matcher, vec![Step { answer, times: None }], true)
    }
}

fn output<O: fmt::Debug + Send + Sync + 'static>(f: impl Fn() -> O + Send + Sync + 'static) -> Answer {
    Answer::Output(Arc::new(move |_| Output::erase(f())))
}

fn error<E: std::error::Error + Send + Sync + 'static>(f: impl Fn() -> E + Send + Sync + 'static) -> Answer {
    Answer::Error(Arc::new(move || Error::erase(f())))
}

/// Answers given in order; each once unless `times` or `repeatedly` follows it.
pub struct Sequence<O, E> {
    matcher: Matcher,
    steps: Vec<Step>,
    types: Types<(), O, E>,
}

impl<O, E> Sequence<O, E>
where
    O: fmt::Debug + Send + Sync + 'static,
    E: std::error::Error + fmt::Debug + Send + Sync + 'static,
{
    fn push(mut self, answer: Answer) -> Self {
        self.steps.push(Step { answer, times: Some(1) });
        self
    }

    pub fn output(self, f: impl Fn() -> O + Send + Sync + 'static) -> Self {
        self.push(output(f))
    }

    pub fn error(self, f: impl Fn() -> E + Send + Sync + 'static) -> Self {
        self.push(error(f))
    }

    pub fn http_response(self, f: impl Fn() -> HttpResponse + Send + Sync + 'static) -> Self {
        self.push(Answer::Http(Arc::new(f)))
    }

    /// An HTTP status with an optional body.
    pub fn http_status(self, status: u16, body: Option<String>) -> Self {
        self.http_response(move || {
            let status = StatusCode::try_from(status).expect("HTTP status");
            HttpResponse::new(status, SdkBody::from(body.clone().unwrap_or_default()))
        })
    }

    /// The last answer, `n` times.
    pub fn times(mut self, n: usize) -> Self {
        if let Some(last) = self.steps.last_mut() {
            last.times = Some(n);
        }
        self
    }

    /// The last answer, for ever.
    pub fn repeatedly(mut self) -> Self {
        if let Some(last) = self.steps.last_mut() {
            last.times = None;
        }
        self
    }

    pub fn build(self) -> Rule {
        Rule::new(self.matcher, self.steps, false)
    }
}

/// The key under which a call's answer waits between the interceptor's hooks.
#[derive(Debug, Clone)]
struct CallId(usize);

impl Storable for CallId {
    type Storer = StoreReplace<CallId>;
}

/// The rule a call took, for its retries.
#[derive(Debug, Clone)]
struct Taken(Rule);

impl Storable for Taken {
    type Storer = StoreReplace<Taken>;
}

/// A raw answer travelling with the request to the mock HTTP connector.
#[derive(Clone)]
struct RawAnswer(Arc<Mutex<Option<HttpResponse>>>);

pub struct Interceptor {
    rules: Mutex<Vec<Rule>>,
    mode: RuleMode,
    waiting: Mutex<HashMap<usize, Given>>,
    next_id: AtomicUsize,
}

impl fmt::Debug for Interceptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mock::Interceptor({:?})", self.mode)
    }
}

impl Interceptor {
    pub fn new<'a>(mode: RuleMode, rules: impl IntoIterator<Item = &'a Rule>) -> Interceptor {
        Interceptor {
            rules: Mutex::new(rules.into_iter().cloned().collect()),
            mode,
            waiting: Mutex::default(),
            next_id: AtomicUsize::new(0),
        }
    }

    fn take(&self, input: &Input) -> Option<(Rule, Given)> {
        let mut rules = self.rules.lock().expect("mock rules");
        match self.mode {
            RuleMode::Sequential => loop {
                let rule = rules.first()?.clone();
                if rule.exhausted() || (rule.single && rule.num_calls() > 0) {
                    rules.remove(0);
                    continue;
                }
                assert!((rule.matcher)(input), "the next rule in order does not match {input:?}");
                match rule.next(Some(input)) {
                    Some(given) => return Some((rule, given)),
                    None => {
                        rules.remove(0);
                    }
                }
            },
            RuleMode::MatchAny => rules
                .iter()
                .filter(|r| !r.exhausted() && (r.matcher)(input))
                .find_map(|r| r.next(Some(input)).map(|g| (r.clone(), g))),
        }
    }
}

impl Intercept for Interceptor {
    fn name(&self) -> &'static str {
        "mock::Interceptor"
    }

    fn read_before_serialization(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let input = context.inner().input().expect("input before serialization");
        let Some((rule, given)) = self.take(input) else {
            panic!("no mock rule (left) for {input:?}");
        };
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        cfg.interceptor_state().store_put(CallId(id));
        cfg.interceptor_state().store_put(Taken(rule));
        self.waiting.lock().expect("mock answers").insert(id, given);
        Ok(())
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(CallId(id)) = cfg.load::<CallId>().cloned() else {
            return Ok(());
        };
        let mut waiting = self.waiting.lock().expect("mock answers");
        // A retry: the first attempt used its answer, the rule gives the next.
        let given = waiting
            .remove(&id)
            .or_else(|| cfg.load::<Taken>().and_then(|Taken(rule)| rule.next(None)));
        match given {
            Some(Given::Http(response)) => {
                context
                    .request_mut()
                    .add_extension(RawAnswer(Arc::new(Mutex::new(Some(response)))));
            }
            Some(other) => {
                waiting.insert(id, other);
            }
            None => {}
        }
        Ok(())
    }

    fn modify_before_attempt_completion(
        &self,
        context: &mut FinalizerInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(CallId(id)) = cfg.load::<CallId>().cloned() else {
            return Ok(());
        };
        match self.waiting.lock().expect("mock answers").remove(&id) {
            Some(Given::Output(output)) => context.inner_mut().set_output_or_error(Ok(output)),
            Some(Given::Error(error)) => context
                .inner_mut()
                .set_output_or_error(Err(OrchestratorError::operation(error))),
            Some(Given::Http(_)) | None => {}
        }
        Ok(())
    }
}

/// The HTTP side: hands back a raw answer if the request carries one; any other request gets a
/// placeholder that the interceptor replaces with the modelled answer.
#[derive(Debug)]
struct Connector;

impl HttpConnector for Connector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let raw = request
            .extension::<RawAnswer>()
            .and_then(|RawAnswer(slot)| slot.lock().expect("raw answer").take());
        let response =
            raw.unwrap_or_else(|| HttpResponse::new(StatusCode::try_from(418).expect("status"), SdkBody::from("mock")));
        HttpConnectorFuture::ready(Ok(response))
    }
}

pub fn http_client() -> SharedHttpClient {
    http_client_fn(|_, _| SharedHttpConnector::new(Connector))
}

/// A rule for one client operation: `mock!(aws_sdk_ecs::Client::list_tasks)`.
macro_rules! mock {
    ($operation:expr) => {
        #[allow(unreachable_code)]
        {
            $crate::support::mock::RuleBuilder::for_operation(
                // Never called: the closures only give the operation's input, output and error types.
                || $operation(todo!()).as_input().clone().build().unwrap(),
                || $operation(todo!()).send(),
            )
        }
    };
}

/// A client of `$sdk` answered by `$rules`, with dummy credentials, us-east-1 and the latest
/// behaviour version; an optional closure adjusts the config (e.g. retries).
macro_rules! mock_client {
    ($sdk:ident, $mode:expr, $rules:expr) => {
        $crate::support::mock::mock_client!($sdk, $mode, $rules, |c| c)
    };
    ($sdk:ident, $mode:expr, $rules:expr, $adjust:expr) => {{
        fn adjust<T: Fn($sdk::config::Builder) -> $sdk::config::Builder>(f: T) -> T {
            f
        }
        let builder = $sdk::config::Config::builder()
            .behavior_version($sdk::config::BehaviorVersion::latest())
            .region($sdk::config::Region::new("us-east-1"))
            .credentials_provider($sdk::config::Credentials::new("AKIDMOCK", "mock", None, None, "mock"))
            .http_client($crate::support::mock::http_client())
            .interceptor($crate::support::mock::Interceptor::new($mode, $rules));
        $sdk::Client::from_conf(adjust($adjust)(builder).build())
    }};
}

pub(crate) use {mock, mock_client};

/// An ECS client's answer to `ListServiceDeployments` for a service with no deployment record
/// (a rolling service before 2025, or one whose records expired): the root cause then reads the
/// stopped tasks alone.
pub fn no_service_deployments() -> Rule {
    mock!(aws_sdk_ecs::Client::list_service_deployments).then_output(|| {
        aws_sdk_ecs::operation::list_service_deployments::ListServiceDeploymentsOutput::builder().build()
    })
}
