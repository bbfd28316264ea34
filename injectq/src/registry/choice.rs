//! Choices: `singleton dyn Mailer => match Profile { Profile::Live => Smtp, _ => Outbox };`.
//! `container!` writes the chooser (a `Recipe` that reads the selector, matches it, and resolves
//! the chosen implementation from its own registration); the runtime only logs what was chosen.

/// Logs a choice: `service` chose `chosen`, reading `by`. A singleton's choice is made once (by
/// `start()`, or its first resolve) and logged at `INFO`; a scoped or transient one's is made
/// per scope or per value, logged at `DEBUG`.
#[doc(hidden)]
pub fn chose(service: &'static str, chosen: &'static str, by: &'static str, often: bool) {
    if often {
        tracing::debug!(target: "injectq", service, chosen, by, "`{service}`: chose `{chosen}` (by `{by}`)");
    } else {
        tracing::info!(target: "injectq", service, chosen, by, "`{service}`: chose `{chosen}` (by `{by}`)");
    }
}
