//! `dyn Trait => Impl`: a binding hands out what its implementation's registration does.
//!
//! A shared binding (`singleton` or `scoped`) is the implementation's own instance, whichever way
//! it is asked for (`Arc<dyn Mailer>` or `Arc<Smtp>`): created once, disposed once. Before
//! expansion it is [`lower`]ed into two registrations: the implementation's, and an alias of it
//! ([`Source::Alias`]) that has no slot of its own. The implementation's registration is the one
//! the declaration makes, if it makes one (in the same lifetime: [`check`]); otherwise the
//! binding makes it, *implied*, built as the binding says (by `#[injectable]`, or by the
//! binding's factory, with its `dispose`). Several bindings of one implementation share it.
//!
//! A transient binding builds a new implementation at every resolve, the way the implementation's
//! registration builds it if there is one (its factory).
//!
//! Implementations are matched by their type as written: one spelled two ways (`Smtp`,
//! `crate::Smtp`) is registered twice, which rustc reports (E0119).

use std::collections::HashMap;

use syn::{Path, Type};

use super::parse::{Container, Lifetime, Registration, Source};
use crate::errors::{Code, Errors};
use crate::names::display;

/// How many instances a lifetime makes, for a binding and its implementation to agree on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    /// one per root: `singleton`, `value`
    Root,
    /// one per scope: `scoped`, `input`
    Scope,
    /// one per resolve: `transient`
    Each,
}

fn level(lifetime: Lifetime) -> Level {
    match lifetime {
        Lifetime::Singleton | Lifetime::Value => Level::Root,
        Lifetime::Scoped | Lifetime::Input => Level::Scope,
        Lifetime::Transient => Level::Each,
    }
}

/// The lifetime a binding of an implementation registered as `lifetime` takes.
fn binding_word(lifetime: Lifetime) -> &'static str {
    match level(lifetime) {
        Level::Root => "singleton",
        Level::Scope => "scoped",
        Level::Each => "transient",
    }
}

/// A binding of a trait object: its implementation, and its factory if it has one.
fn bound(r: &Registration) -> Option<(&Type, Option<&Path>)> {
    if r.token || !matches!(r.ty, Type::TraitObject(_)) {
        return None;
    }
    match &r.source {
        Source::Bind(imp) => Some((imp, None)),
        Source::BindAndFactory(imp, factory) => Some((imp, Some(factory))),
        _ => None,
    }
}

/// Whether `r` is a binding that hands out its implementation's instance.
fn shared_binding(r: &Registration) -> Option<(&Type, Option<&Path>)> {
    bound(r).filter(|_| level(r.lifetime) != Level::Each)
}

/// The registrations that the declaration makes of implementations (not bindings), by type as
/// written: the first one of each (a second is reported as registered twice). A generic
/// registration (`singleton<T: Entity> Repo<T>;`) registers every `Repo<..>`.
struct Own<'a> {
    by_name: HashMap<String, &'a Registration>,
    generic: Vec<&'a Registration>,
}

impl<'a> Own<'a> {
    /// The registration of implementation `imp` (its name as written).
    fn get(&self, imp: &str) -> Option<&&'a Registration> {
        self.by_name.get(imp).or_else(|| self.generic.iter().find(|r| super::parse::generic_fits(r, imp)))
    }

    fn contains_key(&self, imp: &str) -> bool {
        self.get(imp).is_some()
    }
}

fn registered(registrations: &[Registration]) -> Own<'_> {
    let mut own = Own { by_name: HashMap::new(), generic: Vec::new() };
    let candidates =
        || registrations.iter().filter(|r| !r.token && !matches!(r.source, Source::Alias(_)) && bound(r).is_none());
    own.generic.extend(candidates().filter(|r| r.generics.is_some()));
    for r in candidates().filter(|r| r.generics.is_none()) {
        // one that a generic registration covers is reported as registered twice; the generic one
        // is the registration
        let written = display(&r.ty);
        if !own.generic.iter().any(|g| super::parse::generic_fits(g, &written)) {
            own.by_name.entry(written).or_insert(r);
        }
    }
    own
}

/// The implementations that shared bindings register for themselves: by type as written, the
/// first binding of each, and the one that gives its factory, if one does.
fn implied<'a>(
    registrations: &'a [Registration],
    own: &Own<'_>,
) -> HashMap<String, (&'a Registration, Option<&'a Registration>)> {
    let mut implied: HashMap<String, (&Registration, Option<&Registration>)> = HashMap::new();
    for r in registrations {
        let Some((imp, factory)) = shared_binding(r) else { continue };
        let key = display(imp);
        if own.contains_key(&key) {
            continue;
        }
        let entry = implied.entry(key).or_insert((r, None));
        if factory.is_some() && entry.1.is_none() {
            entry.1 = Some(r);
        }
    }
    implied
}

/// A binding and its implementation's registration live as long as each other, and an
/// implementation has one way to be built.
pub(crate) fn check(c: &Container, errors: &mut Errors) {
    let own = registered(&c.registrations);
    let implied = implied(&c.registrations, &own);
    // a child's registrations from its parent were checked with the parent
    for r in &c.registrations[c.from_parent..] {
        if let Source::Choice(choice) = &r.source {
            check_choice(r, choice, &own, errors);
            continue;
        }
        let Some((imp, factory)) = bound(r) else { continue };
        let (trait_name, imp_name) = (display(&r.ty), display(imp));
        if let Some(target) = own.get(&imp_name) {
            // decorated, a scoped binding is a view of its own over a longer-lived instance (a
            // request's decorators around the one client)
            let scoped_view =
                !r.decorators.is_empty() && level(r.lifetime) == Level::Scope && level(target.lifetime) == Level::Root;
            if level(target.lifetime) != level(r.lifetime) && !scoped_view {
                errors.at(
                    Code::InvalidRegistration,
                    imp,
                    format!(
                        "`{trait_name}` is bound to `{imp_name}`, which is registered as `{}`: a binding hands out what its implementation's registration does, so both live as long; write `{} {trait_name} => {imp_name};`",
                        target.lifetime.word(),
                        binding_word(target.lifetime),
                    ),
                );
            } else if let (Some(factory), Level::Root | Level::Scope) = (factory, level(r.lifetime)) {
                errors.at(
                    Code::InvalidRegistration,
                    factory,
                    format!(
                        "`{imp_name}` is registered already (as `{}`), and a binding hands out that instance: build it there, and bind it here without a factory, `{} {trait_name} => {imp_name};`",
                        target.lifetime.word(),
                        r.lifetime.word(),
                    ),
                );
            }
        } else if let Some((first, by_factory)) = implied.get(&imp_name) {
            if level(first.lifetime) != level(r.lifetime) {
                errors.at(
                    Code::InvalidRegistration,
                    imp,
                    format!(
                        "`{imp_name}` is bound to `{}` as a `{}`, and one implementation is one registration, so its bindings live as long: write `{} {trait_name} => {imp_name};`",
                        display(&first.ty),
                        first.lifetime.word(),
                        first.lifetime.word(),
                    ),
                );
            } else if let (Some(factory), Some(by_factory)) = (factory, by_factory)
                && !std::ptr::eq(*by_factory, r)
            {
                errors.at(
                    Code::InvalidRegistration,
                    factory,
                    format!(
                        "`{imp_name}` is built by a factory for `{}` already, and its bindings share that one instance: remove the factory here, `{} {trait_name} => {imp_name};`",
                        display(&by_factory.ty),
                        r.lifetime.word(),
                    ),
                );
            }
        }
    }
}

/// A choice's alternatives registered by the declaration: a transient choice builds a new one each
/// time, so they are transients; a shared choice keeps the chosen one's instance, which lives at
/// least as long as the choice (a scoped choice may choose among singletons).
fn check_choice(r: &Registration, choice: &super::parse::Choice, own: &Own<'_>, errors: &mut Errors) {
    let trait_name = display(&r.ty);
    for arm in &choice.arms {
        let imp_name = display(&arm.imp);
        let Some(target) = own.get(&imp_name) else { continue };
        let (choice_level, alt_level) = (level(r.lifetime), level(target.lifetime));
        let fits = match choice_level {
            Level::Each => alt_level == Level::Each,
            Level::Scope => alt_level != Level::Each,
            Level::Root => alt_level == Level::Root,
        };
        if !fits {
            errors.at(
                Code::InvalidRegistration,
                &arm.imp,
                format!(
                    "`{trait_name}` may choose `{imp_name}`, which is registered as `{}`: a {} choice hands out {}; register `{imp_name}` as `{}`, or leave its registration to the choice",
                    target.lifetime.word(),
                    r.lifetime.word(),
                    match choice_level {
                        Level::Each => "a new value each time, so its alternatives are transients",
                        Level::Scope => "the chosen alternative's instance, which must live at least as long as the scope",
                        Level::Root => "the chosen alternative's instance for the container's life, so its alternatives are singletons",
                    },
                    match choice_level {
                        Level::Each => "transient",
                        Level::Scope => "scoped",
                        Level::Root => "singleton",
                    }
                ),
            );
        }
    }
}

/// The declaration with every shared binding as an alias of its implementation's registration,
/// that registration added where the declaration does not make it (just before its first
/// binding), and every transient binding of a registered implementation built by that
/// registration's factory. `from_parent` counts the parent's registrations as lowered.
pub(crate) fn lower(c: &Container) -> Container {
    let own = registered(&c.registrations);
    let implied = implied(&c.registrations, &own);
    let mut added = std::collections::HashSet::new();
    let mut registrations = Vec::with_capacity(c.registrations.len());
    let mut from_parent = 0;
    for (index, r) in c.registrations.iter().enumerate() {
        if let Source::Choice(choice) = &r.source {
            // each alternative is registered: as the declaration does, or here, in the choice's
            // lifetime, built by `#[injectable]`
            for arm in &choice.arms {
                let key = display(&arm.imp);
                if !r.inherited && !own.contains_key(&key) && added.insert(key) {
                    registrations.push(Registration { alternative: true, ..implementation(r, &arm.imp, None) });
                }
            }
            registrations.push(r.clone());
        } else if let Some((imp, _)) = shared_binding(r) {
            let key = display(imp);
            if let Some((_, by_factory)) = implied.get(&key)
                && added.insert(key)
            {
                registrations.push(implementation(r, imp, *by_factory));
            }
            // decorated, the binding's value is its own: the implementation's instance, decorated
            let source =
                if r.decorators.is_empty() { Source::Alias(imp.clone()) } else { Source::Instance(imp.clone()) };
            registrations.push(Registration { source, dispose: None, ..r.clone() });
        } else if let Some((imp, None)) = bound(r)
            && let Some(Source::Factory(factory)) = own.get(&display(imp)).map(|target| &target.source)
        {
            // a transient binding (a shared one is an alias): built by the implementation's factory
            registrations
                .push(Registration { source: Source::BindAndFactory(imp.clone(), factory.clone()), ..r.clone() });
        } else {
            registrations.push(r.clone());
        }
        if index + 1 == c.from_parent {
            from_parent = registrations.len();
        }
    }
    Container { registrations, from_parent, ..c.clone() }
}

/// The registration that binding `r` implies for its implementation `imp`: in its lifetime, built
/// by the factory of the binding that gives one (`by_factory`), with that binding's `dispose`.
fn implementation(r: &Registration, imp: &Type, by_factory: Option<&Registration>) -> Registration {
    let (source, dispose) = match by_factory.map(|b| (&b.source, &b.dispose)) {
        Some((Source::BindAndFactory(_, factory), dispose)) => (Source::Factory(factory.clone()), dispose.clone()),
        _ => (Source::Itself, None),
    };
    Registration {
        inherited: r.inherited,
        kind: r.kind.clone(),
        implied: true,
        alternative: false,
        token: false,
        member_of: None,
        key: None,
        generics: None,
        lifetime: r.lifetime,
        keyword: r.keyword.clone(),
        ty: imp.clone(),
        written: None,
        source,
        dispose: if r.inherited { None } else { dispose },
        hosted: None,
        health: None,
        decorators: Vec::new(),
        // an implementation a module's binding registers is the module's, built where its
        // services are
        module: r.module.clone(),
        private: None,
    }
}
