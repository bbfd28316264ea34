//! Every example runs, and says what it should: an example that rots fails here.
//! `cargo test` builds the examples before it runs the tests; their binaries sit beside the
//! test binaries' folder. Each run is bounded: an example that hangs is killed and fails.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long an example may run.
const LIMIT: Duration = Duration::from_secs(60);

/// The example's binary.
fn binary(example: &str) -> PathBuf {
    let deps = std::env::current_exe().expect("the test binary's path");
    let dir = deps.parent().and_then(|d| d.parent()).expect("target/<profile>");
    dir.join("examples").join(format!("{example}{}", std::env::consts::EXE_SUFFIX))
}

/// Runs `example` with `args`, killed past [`LIMIT`]: whether it succeeded, its stdout, its stderr.
fn run_with(example: &str, args: &[&str]) -> (bool, String, String) {
    let binary = binary(example);
    let mut child =
        Command::new(&binary).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap_or_else(|e| {
            panic!(
                "cannot run {}: {e}; `cargo test` builds the examples, `cargo build --examples` too",
                binary.display()
            )
        });
    // read on threads of their own, so that a full pipe never blocks the example
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("piped")));
    let stderr = read(Box::new(child.stderr.take().expect("piped")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the example's status") {
            break status;
        }
        if started.elapsed() > LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("example `{example}` did not finish within {LIMIT:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    (status.success(), stdout.join().expect("stdout read"), stderr.join().expect("stderr read"))
}

fn run(example: &str) -> String {
    let (success, stdout, stderr) = run_with(example, &[]);
    assert!(success, "example `{example}` failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}");
    stdout
}

#[test]
fn quickstart() {
    let out = run("quickstart");
    assert!(out.contains("singleton: user1@postgres://localhost/app"), "{out}");
    assert!(out.contains("request #1: user7@") && out.contains("request #2: user7@"), "{out}");
}

#[test]
fn request_scope() {
    let out = run("request_scope");
    let lines: Vec<_> = out.lines().map(str::trim).collect();
    let opened = lines.iter().position(|l| l.starts_with("connection #1 opened")).expect(&out);
    let closed = lines.iter().position(|l| *l == "connection #1 closed").expect(&out);
    assert!(opened < closed, "{out}");
    assert!(out.contains("connection #2 closed"), "a failed request's connection is closed too: {out}");
    assert!(out.contains("-> failed: no user 0"), "{out}");
}

#[test]
fn lazy_service() {
    let out = run("lazy_service");
    assert!(out.contains("api ready; heavy service loaded 0 time(s)"), "{out}");
    assert!(out.contains("8 concurrent first uses; heavy service loaded 1 time(s)"), "{out}");
}

#[test]
fn forward_ref() {
    let out = run("forward_ref");
    assert_eq!(out, "A greets B\nB greets A\n");
}

#[test]
fn providers() {
    let out = run("providers");
    assert!(out.contains("config: api_key=my-api-key timeout=30"), "{out}");
    assert!(out.contains("handler: SELECT * FROM users WHERE id = '?' [42] with theme light"), "{out}");
    assert!(out.contains("circular: A -> B -> A is the same A: true"), "{out}");
}

#[test]
fn database() {
    let out = run("database");
    let expected = "POST /users?name=ada\n  transaction committed\n  201 created user 1\nPOST /users?name=\n  transaction rolled back: the request failed\n  422 a name is required\nPOST /users?name=grace\n  transaction committed\n  201 created user 2\nPOST /users?name=ada\n  transaction rolled back: the request failed\n  422 that name is taken\nGET /users -> ada, grace\n20 concurrent writers: 20 created, 20 committed\npool closed\n";
    // a unit of work that reads then writes begins with `BEGIN IMMEDIATE`: with a plain `BEGIN`,
    // about a third of the concurrent writers failed with `SQLITE_BUSY`
    assert_eq!(
        out, expected,
        "completed work is committed, failed work is rolled back, no writer is busy, the pool is closed"
    );
}

#[test]
fn worker() {
    let out = run("worker");
    let expected = "job: an order for \"ada\"\n  committed\njob: an order for \"\"\n  rolled back: the job failed\n  failed: an order needs a customer\njob: an order for \"grace\"\n  committed\nworker stopped: 3 job(s) handled\n";
    assert_eq!(out, expected, "a scope per job, committed or rolled back, and the worker stopped with the container");
}

#[test]
fn grpc() {
    let out = run("grpc");
    for line in [
        "client: ada's note 1 is \"call grace\"",
        "client: grace's note 1: NotFound, grace has no note 1",
        "client: ada's notes: \"write tests\"",
        "client: without `x-user`: Unauthenticated, who are you? (send the `x-user` metadata)",
        "  server: the session of ada ended (completed) after 1 note(s)",
        "  server: the session of grace ended (failed) after 0 note(s)",
        "  server: the session of ada ended (completed) after 3 note(s)",
    ] {
        assert!(out.lines().any(|l| l == line), "missing {line:?} in:\n{out}");
    }
    assert_eq!(out.lines().filter(|l| l.contains("session of")).count(), 3, "no session for the refused call: {out}");
}

#[test]
fn async_factories() {
    let out = run("async_factories");
    assert!(out.contains("10 concurrent resolves; email service initialized 1 time(s)"), "{out}");
    assert!(out.contains("transient factory: report #1 then report #2"), "{out}");
    assert!(
        out.contains(
            "failed to resolve `EmailService`: factory `create_email_service` failed: no SMTP host configured"
        ),
        "{out}"
    );
}

#[test]
fn middleware() {
    let out = run("middleware");
    assert_eq!(
        out,
        "GET /users/1\n  -> user1@example.com (session 1)\nGET /users/2\n  -> user2@example.com (session 2)\nsessions closed: [1, 2]\n",
        "a session per request, each closed by the time the container has shut down"
    );
}

#[test]
fn websocket() {
    let out = run("websocket");
    assert_eq!(
        out,
        concat!(
            "ada sent \"hello\": ada, you said HELLO\n",
            "ada sent \" \": error: cannot answer an empty message\n",
            "ada sent \"bye\": ada, you said BYE\n",
            "grace sent \"hi\": grace, you said HI\n",
            "ada:\n",
            "  message \"hello\" disposed (completed)\n",
            "  message \" \" disposed (failed)\n",
            "  message \"bye\" disposed (completed)\n",
            "  session closed (completed): 2 answered, 1 failed\n",
            "grace:\n",
            "  message \"hi\" disposed (completed)\n",
            "  session closed (completed): 1 answered, 0 failed\n",
        ),
        "a scope per message inside the connection's, each disposed with its outcome before the session"
    );
}

#[test]
fn tenants() {
    let out = run("tenants");
    assert_eq!(
        out,
        concat!(
            "GET /notes as ada@acme: notes of ada at acme (query 1 of this tenant)\n",
            "GET /notes as alan@acme: notes of alan at acme (query 2 of this tenant)\n",
            "GET /notes as grace@globex: notes of grace at globex (query 1 of this tenant)\n",
            "GET /notes as ivan@initech: notes of ivan at initech (query 1 of this tenant)\n",
            "GET /notes as ada@acme: notes of ada at acme (query 1 of this tenant)\n",
            "acme: database opened 2x, closed 2x, 3 queries\n",
            "globex: database opened 1x, closed 1x, 1 queries\n",
            "initech: database opened 1x, closed 1x, 1 queries\n",
            "tenants opened 4, evicted 2, let go at shutdown 2\n",
        ),
        "one database per tenant while it is cached; evicted past two, reopened on its next request"
    );
}

#[test]
fn notes_service() {
    let out = run("notes_service");
    assert_eq!(
        out,
        concat!(
            "started: [\"Worker\"], ready: true\n",
            "POST /notes as ada: note 0\n",
            "POST /notes as grace: note 1\n",
            "POST /notes as ada: note 2\n",
            "POST /notes as ada: note 3\n",
            "GET /notes without a caller: 401 Unauthorized\n",
            "gRPC List as ada: 0: buy milk and eggs (4 words)\n",
            "gRPC List as ada: 2: call grace (2 words)\n",
            "gRPC List as ada: 3: ??? (not indexed yet)\n",
            "gRPC Get 1 as grace: fix the compiler (3 words)\n",
            "GET /health/ready: 200 OK\n",
            "grpc.health.v1 Check: Serving\n",
            "after shutdown, ready: false\n",
        ),
        "one container: HTTP and gRPC requests with their caller, jobs run by a hosted worker (a failed one keeps nothing), health over both"
    );
}

#[test]
fn producer_consumer() {
    let out = run("producer_consumer");
    for i in 0..5 {
        assert!(
            out.contains(&format!("produced event_{i}\n")) && out.contains(&format!("processed event_{i}\n")),
            "{out}"
        );
    }
    assert!(out.ends_with("5 events processed\n"), "{out}");
}

#[test]
fn background_tasks() {
    let out = run("background_tasks");
    assert_eq!(out, "email sent to ada@example.com\nemail sent to grace@example.com\nstopped 1 background task(s)\n");
}

#[test]
fn error_handling() {
    let out = run("error_handling");
    assert!(
        out.contains(
            "failed to resolve `Profile` -> `RemoteUsers`: factory `connect_users` failed: connection refused\n"
        ),
        "{out}"
    );
    assert!(out.contains("path: [\"Profile\", \"RemoteUsers\"]\ncause kept: true\n"), "{out}");
    assert!(out.contains("mock user 1\n"), "an explicit fallback: {out}");
    assert!(out.contains("tracer: false, visitor: anonymous\n"), "{out}");
}

#[test]
fn resource_manager() {
    let out = run("resource_manager");
    assert_eq!(
        out,
        "cleaned up temp files\ncleaned up cache\ndisposing `App`: 1 disposer failed; `disposal handler`: socket: already closed\n",
        "every cleanup ran, newest first, and the failure was reported"
    );
}

#[test]
fn the_readme_shows_the_quickstart_graph() {
    let (success, graph, _) = run_with("quickstart", &["--graph"]);
    assert!(success, "the quickstart runs");
    let readme = include_str!("../README.md");
    assert!(readme.contains(&format!("```mermaid\n{graph}```")), "README's graph is stale; it should be:\n{graph}");
}

#[test]
fn config_choice() {
    let out = run("config_choice");
    assert_eq!(
        out,
        "POST https://hooks.example/signups \"ada signed up\"\nmail to ada via smtp.example\nsmtp connection to smtp.example closed\nlog: ada signed up\nmail to ada via smtp.example\nsmtp connection to smtp.example closed\n",
        "the configuration picks the notifier; the bound client is disposed with its container"
    );
}

#[test]
fn commands() {
    let out = run("commands");
    assert_eq!(
        out,
        "> status\nup, version 1.4\n> echo hello there\nhello there\n> help\ncommands: echo, help, status\n> deploy\nunknown command `deploy`\n",
        "each command found under its key, from two modules' members of one map"
    );
}

#[test]
fn profiles() {
    let out = run("profiles");
    assert_eq!(
        out,
        "Test: mail to ada kept in the outbox\narchive: local disk\npaid: 600 requests a minute\nfree: 60 requests a minute\n",
        "the test profile chooses the outbox, the plan chooses the limits, the feature (off) the archive"
    );
    let (success, out, err) = run_with("profiles", &["live"]);
    assert!(success, "{err}");
    assert!(out.starts_with("Live: mail to ada through smtp.example:587\n"), "{out}");
}

#[test]
fn repositories() {
    let out = run("repositories");
    assert_eq!(
        out,
        "repo for `users` opened\nrepo for `notes` opened\n2 users, 2 notes\nrepo for `notes` closed\nrepo for `users` closed\n",
        "one generic registration, a repository per entity, each opened once and closed in reverse order"
    );
}

#[test]
fn configuration() {
    let out = run("configuration");
    let lines: Vec<_> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("refused: the configuration is invalid: `limits.per_minute` must be above 0: 0 would refuse everyone (from TOML file `")
            && lines[0].ends_with("notes.toml`)"),
        "a value that does not validate is refused with its key and file: {out}"
    );
    assert_eq!(lines[1], "port 8080, 100 requests a minute", "the file overrides the defaults");
    assert_eq!(lines[2], "after a reload: the server keeps port 8080, the limiter follows: 250 a minute");
}

#[test]
fn private_parts() {
    let out = run("private_parts");
    assert_eq!(
        out,
        "pool 1 opened\nmail to ada over pool 1\npool 2 opened\ninvoice for ada stored over pool 2\npool 2 closed\npool 1 closed\n",
        "each module's services use its own pool; both are closed with the container, the newest first"
    );
}

#[test]
fn decorators() {
    let out = run("decorators");
    assert_eq!(
        out,
        "queued for ada\nqueued for grace\ngzip[\"hello\"]\noutbox: flushed: smtp to ada (up to 3 tries)\noutbox: flushed: smtp to grace (up to 3 tries)\nsmtp: connection closed\nmeasured: 2 mail(s)\n",
        "the outermost decorator keeps the mails, flushes them through the inner ones when disposed, before the client is closed"
    );
}

#[test]
fn testing() {
    let out = run("testing");
    assert_eq!(
        out,
        "production: welcome mail sent over SMTP to ada\ntest: (fake) mail to grace kept in the outbox\nthe fake's outbox holds 1 mail(s)\n",
        "one router, served by the production container and by a test container with a fake"
    );
}
