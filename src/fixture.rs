//! Small incidents built from one fact, for catalog tests and rule examples.
//!
//! Each case builds the incident an operator would meet: a Fargate service task of account
//! 123456789012 with one container `app`, unless the case says otherwise.

use crate::incident::{
    ApiError, ApiFailure, Container, ContainerInstance, Incident, LaunchType, ServiceEvent, Source, Task,
};

pub const ACCOUNT: &str = "123456789012";
pub const IMAGE: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.0";

/// One fact to diagnose.
#[derive(Debug, Clone, Copy)]
pub enum Case {
    /// A bare string, as given to `ecs-doctor explain --text`.
    Text(&'static str),
    /// A container `reason` of a task that failed to start (no exit code).
    Reason(&'static str),
    /// A container `reason` with the container's exit code.
    ReasonExit(&'static str, i64),
    /// A task `stoppedReason` with its `stopCode`; the container exited with `exit` if given.
    Stopped {
        reason: &'static str,
        stop_code: &'static str,
        exit: Option<i64>,
    },
    /// A container exit code alone, with the task's stop code; `service` = task of a service.
    Exit {
        code: Option<i64>,
        stop_code: &'static str,
        service: bool,
    },
    /// One `failures[]` entry returned by an API action.
    Failure { action: &'static str, reason: &'static str },
    /// A write call ECS refused (CloudTrail `errorCode`, `errorMessage`).
    ApiError {
        action: &'static str,
        code: &'static str,
        message: &'static str,
    },
    /// An `ECS Service Action` event.
    Service {
        event_type: &'static str,
        event_name: &'static str,
        reason: &'static str,
    },
    /// An `ECS Deployment State Change` event.
    Deployment {
        event_type: &'static str,
        event_name: &'static str,
        reason: &'static str,
    },
    /// An `ECS Container Instance State Change` event.
    Instance {
        status: &'static str,
        reason: &'static str,
        agent_connected: bool,
    },
}

impl Case {
    pub fn incident(&self) -> Incident {
        let base = Incident {
            account: Some(ACCOUNT.into()),
            region: Some("us-east-1".into()),
            cluster: Some(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:cluster/prod")),
            ..Incident::default()
        };
        match *self {
            Case::Text(text) => Incident {
                source: Source::Text,
                text: Some(text.into()),
                account: None,
                region: None,
                cluster: None,
                ..base
            },
            Case::Reason(reason) => {
                task_incident(base, "Task failed to start", "TaskFailedToStart", Some(reason), None)
            }
            Case::ReasonExit(reason, code) => task_incident(
                base,
                "Essential container in task exited",
                "EssentialContainerExited",
                Some(reason),
                Some(code),
            ),
            Case::Stopped {
                reason,
                stop_code,
                exit,
            } => task_incident(base, reason, stop_code, None, exit),
            Case::Exit {
                code,
                stop_code,
                service,
            } => {
                let mut incident = task_incident(base, "Essential container in task exited", stop_code, None, code);
                if !service {
                    if let Some(task) = incident.task.as_mut() {
                        task.group = Some("family:app".into());
                        task.started_by = None;
                    }
                }
                incident
            }
            Case::Failure { action, reason } => Incident {
                source: Source::ApiCall,
                api_failures: vec![ApiFailure {
                    action: Some(action.into()),
                    arn: Some(format!(
                        "arn:aws:ecs:us-east-1:{ACCOUNT}:container-instance/prod/0123456789abcdef"
                    )),
                    reason: reason.into(),
                    detail: None,
                }],
                ..base
            },
            Case::ApiError { action, code, message } => {
                let mut error = ApiError::new(action, code, Some(message));
                error.caller = Some(format!("arn:aws:sts::{ACCOUNT}:assumed-role/deployer/ci"));
                error.request = vec!["cluster=prod".into(), "serviceName=web".into()];
                Incident {
                    source: Source::ApiCall,
                    api_error: Some(error),
                    ..base
                }
            }
            Case::Service {
                event_type,
                event_name,
                reason,
            }
            | Case::Deployment {
                event_type,
                event_name,
                reason,
            } => {
                let deployment = matches!(self, Case::Deployment { .. });
                Incident {
                    source: if deployment {
                        Source::DeploymentStateChange
                    } else {
                        Source::ServiceAction
                    },
                    service_event: Some(ServiceEvent {
                        event_type: event_type.into(),
                        event_name: event_name.into(),
                        service_arn: Some(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:service/prod/web")),
                        reason: (!reason.is_empty()).then(|| reason.into()),
                        deployment_id: deployment.then(|| "ecs-svc/1234567890".into()),
                        ..ServiceEvent::default()
                    }),
                    ..base
                }
            }
            Case::Instance {
                status,
                reason,
                agent_connected,
            } => Incident {
                source: Source::ContainerInstanceStateChange,
                container_instance: Some(ContainerInstance {
                    container_instance_arn: format!(
                        "arn:aws:ecs:us-east-1:{ACCOUNT}:container-instance/prod/0123456789abcdef"
                    ),
                    ec2_instance_id: Some("i-0abc1234def567890".into()),
                    status: Some(status.into()),
                    status_reason: (!reason.is_empty()).then(|| reason.into()),
                    agent_connected: Some(agent_connected),
                    ..ContainerInstance::default()
                }),
                ..base
            },
        }
    }
}

fn task_incident(
    base: Incident,
    stopped_reason: &str,
    stop_code: &str,
    container_reason: Option<&str>,
    exit_code: Option<i64>,
) -> Incident {
    Incident {
        source: Source::TaskStateChange,
        task: Some(Task {
            task_arn: format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task/prod/0123456789abcdef0123456789abcdef"),
            task_definition_arn: Some(format!("arn:aws:ecs:us-east-1:{ACCOUNT}:task-definition/app:7")),
            group: Some("service:web".into()),
            started_by: Some("ecs-svc/1234567890".into()),
            launch_type: Some(LaunchType::Fargate),
            last_status: Some("STOPPED".into()),
            desired_status: Some("STOPPED".into()),
            stop_code: (!stop_code.is_empty()).then(|| stop_code.into()),
            stopped_reason: (!stopped_reason.is_empty()).then(|| stopped_reason.into()),
            memory: Some("1024".into()),
            cpu: Some("512".into()),
            containers: vec![Container {
                name: "app".into(),
                image: Some(IMAGE.into()),
                last_status: Some("STOPPED".into()),
                exit_code,
                reason: container_reason.map(str::to_string),
                ..Container::default()
            }],
            ..Task::default()
        }),
        ..base
    }
}
