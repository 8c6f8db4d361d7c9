//! The in-memory Gallery: a few workflows, their questions, users, and the jobs clients
//! create. Shapes follow the Gallery v1 subscription and admin APIs closely enough for a
//! client written against a real Gallery to parse them.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use serde_json::{json, Value};

/// Jobs kept at most: a load test posting jobs must not grow memory without bound.
const MAX_JOBS: usize = 10_000;

/// One workflow of the catalogue.
struct Workflow {
    id: &'static str,
    name: &'static str,
    file: &'static str,
    description: &'static str,
    author: &'static str,
    upload: &'static str,
    questions: fn() -> Value,
}

const SUBSCRIPTION_ID: &str = "5f3a1c0e2b7d4e0001a1b2c3";

const WORKFLOWS: [Workflow; 3] = [
    Workflow {
        id: "5f3a1c9d2b7d4e0001a1b2d4",
        name: "Sales Forecast",
        file: "Sales Forecast.yxwz",
        description: "Forecasts monthly sales per region.",
        author: "Ada Analyst",
        upload: "2024-03-12T09:41:27.113Z",
        questions: || {
            json!([
                {"name": "Region", "questionType": "QuestionListBox", "description": "Region",
                 "value": "EMEA", "multiple": false,
                 "items": [{"key": "EMEA", "value": "EMEA"}, {"key": "AMER", "value": "AMER"},
                           {"key": "APAC", "value": "APAC"}]},
                {"name": "Months", "questionType": "QuestionNumericUpDown",
                 "description": "Months ahead", "value": "6", "multiple": false, "items": []}
            ])
        },
    },
    Workflow {
        id: "5f3a1ca72b7d4e0001a1b2e5",
        name: "Customer Dedupe",
        file: "Customer Dedupe.yxwz",
        description: "Merges duplicate customer records.",
        author: "Bo Builder",
        upload: "2024-05-02T14:03:55.870Z",
        questions: || {
            json!([
                {"name": "Threshold", "questionType": "QuestionTextBox",
                 "description": "Match threshold (0-100)", "value": "85", "multiple": false,
                 "items": []}
            ])
        },
    },
    Workflow {
        id: "5f3a1cb12b7d4e0001a1b2f6",
        name: "Inventory Snapshot",
        file: "Inventory Snapshot.yxmd",
        description: "Exports today's stock levels.",
        author: "Ada Analyst",
        upload: "2024-06-20T07:15:02.004Z",
        questions: || json!([]),
    },
];

fn meta(w: &Workflow) -> Value {
    json!({
        "name": w.name, "description": w.description, "author": w.author, "copyright": "",
        "url": "", "urlText": "", "outputMessage": "", "noOutputFilesMessage": ""
    })
}

/// `GET api/v1/workflows/subscription/`: the workflows of the caller's subscription.
pub fn subscription_workflows(limit: Option<usize>, offset: usize) -> Value {
    let v: Vec<Value> = WORKFLOWS
        .iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .map(|w| {
            json!({
                "id": w.id, "subscriptionId": SUBSCRIPTION_ID, "public": false,
                "runDisabled": false, "packageType": 0, "uploadDate": w.upload,
                "fileName": w.file, "metaInfo": meta(w), "isChained": false, "version": 1,
                "runCount": 0
            })
        })
        .collect();
    Value::Array(v)
}

/// `GET api/admin/v1/workflows/`: every workflow, admin shape.
pub fn admin_workflows(limit: Option<usize>, offset: usize) -> Value {
    let v: Vec<Value> = WORKFLOWS
        .iter()
        .skip(offset)
        .take(limit.unwrap_or(usize::MAX))
        .map(|w| {
            json!({
                "id": w.id, "subscriptionId": SUBSCRIPTION_ID, "sourceAppId": w.id,
                "public": false, "runDisabled": false, "packageType": 0,
                "uploadDate": w.upload, "fileName": w.file, "metaInfo": meta(w),
                "isChained": false, "version": 1, "runCount": 0, "collections": []
            })
        })
        .collect();
    Value::Array(v)
}

/// `GET api/admin/v1/users/`.
pub fn admin_users() -> Value {
    json!([
        {"id": "5f3a1b002b7d4e0001a1b101", "firstName": "Ada", "lastName": "Analyst",
         "email": "ada@example.com", "role": "Artisan", "defaultWorkerTag": "",
         "canScheduleJobs": true, "canPrioritizeJobs": false, "canAssignJobs": false,
         "canCreateCollections": true, "isApiEnabled": true, "defaultCredentialId": "",
         "isAccountLocked": false, "isActive": true, "isValidated": true,
         "timeZone": "Etc/UTC", "language": "en-us", "canCreateAndUpdateDcm": false,
         "canShareForExecutionDcm": false, "canShareForCollaborationDcm": false,
         "canManageGenericVaultsDcm": false, "subscriptionId": SUBSCRIPTION_ID,
         "dateAdded": "2024-01-08T10:00:00Z"},
        {"id": "5f3a1b0a2b7d4e0001a1b102", "firstName": "Bo", "lastName": "Builder",
         "email": "bo@example.com", "role": "Curator", "defaultWorkerTag": "",
         "canScheduleJobs": true, "canPrioritizeJobs": true, "canAssignJobs": true,
         "canCreateCollections": true, "isApiEnabled": true, "defaultCredentialId": "",
         "isAccountLocked": false, "isActive": true, "isValidated": true,
         "timeZone": "Etc/UTC", "language": "en-us", "canCreateAndUpdateDcm": true,
         "canShareForExecutionDcm": true, "canShareForCollaborationDcm": true,
         "canManageGenericVaultsDcm": true, "subscriptionId": SUBSCRIPTION_ID,
         "dateAdded": "2024-01-08T10:05:00Z"}
    ])
}

fn workflow(app_id: &str) -> Option<&'static Workflow> {
    WORKFLOWS.iter().find(|w| w.id == app_id)
}

/// `GET api/v1/workflows/{appId}/questions/`; `None` for an unknown app.
pub fn questions(app_id: &str) -> Option<Value> {
    workflow(app_id).map(|w| (w.questions)())
}

/// Jobs created by `POST .../jobs/`; they complete at once.
#[derive(Default)]
pub struct Jobs {
    inner: Mutex<JobsInner>,
}

#[derive(Default)]
struct JobsInner {
    by_id: HashMap<String, Value>,
    order: VecDeque<(String, String)>,
    next: u64,
}

impl Jobs {
    /// Creates a completed job for `app_id` from the posted questions; `None` for an unknown app.
    pub fn create(&self, app_id: &str, questions: &Value, priority: &str) -> Option<Value> {
        let w = workflow(app_id)?;
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.next += 1;
        let id = format!("6a00{:020x}", inner.next);
        let job = json!({
            "id": id, "appId": w.id, "createDate": httpdate::fmt_http_date(std::time::SystemTime::now()),
            "status": "Completed", "disposition": "Success", "priority": priority,
            "questions": questions,
            "outputs": [{"id": format!("{id}-o1"), "availableFormats": ["Raw"],
                         "fileName": "output.csv"}],
            "messages": [{"status": 1, "text": "Finished in 0.1 seconds", "toolId": 0}]
        });
        if inner.order.len() >= MAX_JOBS {
            if let Some((old, _)) = inner.order.pop_front() {
                inner.by_id.remove(&old);
            }
        }
        inner.order.push_back((id.clone(), w.id.to_string()));
        inner.by_id.insert(id, job.clone());
        Some(job)
    }

    /// `GET api/v1/jobs/{jobId}/`.
    pub fn get(&self, job_id: &str) -> Option<Value> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.by_id.get(job_id).cloned()
    }

    /// `GET api/v1/workflows/{appId}/jobs/`: summaries, newest first.
    pub fn for_app(&self, app_id: &str) -> Option<Value> {
        workflow(app_id)?;
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let v: Vec<Value> = inner
            .order
            .iter()
            .rev()
            .filter(|(_, app)| app == app_id)
            .filter_map(|(id, _)| inner.by_id.get(id))
            .map(|j| {
                json!({"id": j["id"], "createDate": j["createDate"], "status": j["status"],
                            "priority": j["priority"]})
            })
            .collect();
        Some(Value::Array(v))
    }

    /// `GET api/v1/jobs/{jobId}/output/{outputId}/`: the output file's bytes.
    pub fn output(&self, job_id: &str, output_id: &str) -> Option<String> {
        let job = self.get(job_id)?;
        if job["outputs"][0]["id"] != output_id {
            return None;
        }
        Some(format!(
            "job,app,status\r\n{},{},Completed\r\n",
            job_id,
            job["appId"].as_str().unwrap_or("")
        ))
    }
}
