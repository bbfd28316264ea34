//! What a container declaration may not say.

use std::collections::HashMap;

use syn::Type;

use super::parse::{Container, Lifetime, Source};
use crate::errors::{Code, Errors};
use crate::names::display;

/// The container and, derived from it, each of its children.
pub(crate) fn validate_all(c: &Container) -> syn::Result<()> {
    let mut errors = Errors::default();
    if let Err(e) = validate(c) {
        errors.push(e);
    }
    for child in &c.children {
        if let Err(e) = validate_all(&super::expand::derive_child(c, child)) {
            errors.push(e);
        }
    }
    errors.finish()
}

fn validate(c: &Container) -> syn::Result<()> {
    let mut errors = Errors::default();
    validate_maps(c, &mut errors);
    if !c.generics.params.is_empty() {
        errors.at(
            Code::ContainerSyntax,
            &c.generics,
            "a container cannot be generic: declare one container per set of concrete types",
        );
    }
    if c.scope == c.name {
        errors.at(
            Code::ContainerSyntax,
            &c.scope,
            "the scope type needs a name of its own, different from the container's",
        );
    }
    // each kind of scope is a type of its own
    let mut names = vec![(c.name.to_string(), "the container"), (c.scope.to_string(), "the container's scope")];
    for kind in &c.kinds {
        let name = kind.name.to_string();
        if let Some((_, what)) = names.iter().find(|(taken, _)| *taken == name) {
            errors.at(
                Code::ContainerSyntax,
                &kind.name,
                format!(
                    "`{name}` is {what} already: give this kind of scope a name of its own (`scope JobScope {{ .. }}`)"
                ),
            );
        }
        names.push((name, "another kind of scope"));
        if c.parent.is_some() {
            errors.at(
                Code::ContainerSyntax,
                &kind.keyword,
                "a `child` container has one kind of scope, its own: declare `scope` kinds in the top-level container",
            );
        }
    }
    // the first registration of each type, by its written name
    let mut seen: HashMap<String, (Lifetime, bool)> = HashMap::new();
    for (index, r) in c.registrations.iter().enumerate() {
        validate_token_and_member(r, &mut errors);
        validate_generic(r, &mut errors);
        let ty_name = if r.token { format!("token {}", display(&r.ty)) } else { display(&r.ty) };
        let is_dyn = matches!(r.ty, Type::TraitObject(_));
        if let Some(health) = &r.health {
            let problem = if is_dyn {
                Some(format!(
                    "a health check is a concrete type's: give `, health` to the implementation's registration (`singleton Impl, health;`), not to `{ty_name}`"
                ))
            } else if r.lifetime != Lifetime::Singleton || r.token {
                Some(format!(
                    "`, health` goes on a `singleton` (or `hosted`) registration: the container checks the one instance it keeps, and `{ty_name}` is {} {}",
                    if r.token { "a" } else { "registered as" },
                    if r.token { "token" } else { r.lifetime.word() }
                ))
            } else if c.parent.is_some() {
                Some("a health check belongs to the root container, which answers the probes: declare it there, not in a `child`".to_owned())
            } else {
                None
            };
            if let Some(problem) = problem {
                errors.at(Code::InvalidRegistration, health, problem);
            }
        }
        if let Some(hosted) = &r.hosted {
            if is_dyn {
                let imp = match &r.source {
                    Source::Bind(imp) | Source::BindAndFactory(imp, _) => display(imp),
                    _ => "Impl".to_owned(),
                };
                errors.at(
                    Code::InvalidRegistration,
                    hosted,
                    format!(
                        "a hosted service is a concrete type: declare the implementation hosted, `hosted {imp};`, and bind the trait to it, `singleton {ty_name} => {imp};`"
                    ),
                );
            } else if c.parent.is_some() {
                errors.at(
                    Code::InvalidRegistration,
                    hosted,
                    "a hosted service runs for its root container's life: declare it in the root container, not in a `child`",
                );
            }
        }
        match (&r.source, r.lifetime) {
            (_, Lifetime::Value) if r.token => {}
            (Source::Bind(_) | Source::Factory(_) | Source::BindAndFactory(..), Lifetime::Input) => errors.at(
                Code::InvalidRegistration,
                &r.keyword,
                format!(
                    "an `input` is given to each scope when it is opened, not built: write `input {ty_name};` and pass it to `{}::create_scope_with`",
                    c.name
                ),
            ),
            (Source::Bind(_) | Source::Factory(_) | Source::BindAndFactory(..), Lifetime::Value) => errors.at(
                Code::InvalidRegistration,
                &r.keyword,
                format!("a `value` is given to the constructor, not built: write `value {ty_name};` and pass it to `{}::new`", c.name),
            ),
            (Source::BindAndFactory(target, factory), _) if !is_dyn => errors.at(
                Code::InvalidRegistration,
                &r.ty,
                format!(
                    "`=>` binds a trait object to its implementation, so the left side must be `dyn Trait`: if `{ty_name}` is a trait, write `{} dyn {ty_name} => {} = {};`",
                    r.lifetime.word(),
                    display(target),
                    display(factory)
                ),
            ),
            (Source::Bind(target), _) if !is_dyn => errors.at(
                Code::InvalidRegistration,
                &r.ty,
                format!(
                    "`=>` binds a trait object to its implementation, so the left side must be `dyn Trait`: if `{ty_name}` is a trait, write `{} dyn {ty_name} => {};`",
                    r.lifetime.word(),
                    display(target)
                ),
            ),
            (Source::Itself, l) if is_dyn && !matches!(l, Lifetime::Value | Lifetime::Input) => errors.at(
                Code::InvalidRegistration,
                &r.ty,
                format!(
                    "a trait object needs an implementation to build: write `{} {ty_name} => MyImpl;`",
                    r.lifetime.word()
                ),
            ),
            _ => {}
        }
        if r.lifetime == Lifetime::Transient {
            for dispose in r.decorators.iter().filter_map(|d| d.dispose.as_ref()) {
                errors.at(
                    Code::InvalidRegistration,
                    dispose.keyword(),
                    format!(
                        "`{ty_name}` is transient: each value is handed over and owned by whoever asked, so the container cannot dispose its decorators; remove `dispose`, or register `{ty_name}` as `scoped` or `singleton`"
                    ),
                );
            }
        }
        if let Some(dispose) = &r.dispose {
            let keyword = dispose.keyword();
            match (r.lifetime, &r.source) {
                (Lifetime::Transient, _) => errors.at(
                Code::InvalidRegistration,
                    keyword,
                    "a transient is handed over and owned by whoever asked: the container cannot dispose it; register it as `scoped` or `singleton`",
                ),
                (Lifetime::Value, _) => errors.at(Code::InvalidRegistration, keyword, "a value is created by you, and disposed by you: remove `dispose`"),
                (Lifetime::Input, _) => errors.at(
                Code::InvalidRegistration,
                    keyword,
                    "an input is created by whoever opens the scope, and disposed by them: remove `dispose`",
                ),
                // a factory that returns a trait object hides its implementation
                (_, Source::Factory(_)) if is_dyn => errors.at(
                Code::InvalidRegistration,
                    keyword,
                    format!(
                        "a factory that returns a trait object hides the implementation to dispose: let the factory return the implementation and bind it, `{} {ty_name} => Impl = factory, dispose;`",
                        r.lifetime.word()
                    ),
                ),
                (_, Source::Factory(_) | Source::BindAndFactory(..)) => {}
                _ => errors.at(
                Code::InvalidRegistration,
                    keyword,
                    "`dispose` here goes with a factory (`= make_it, dispose = close_it`); an `#[injectable]` type is disposed by `#[injectable(dispose)]`",
                ),
            }
        }
        // a token's form is checked with the token's (one error for `token &str;`)
        if r.lifetime == Lifetime::Value && !r.token && matches!(r.ty, Type::Reference(_)) {
            errors.at(
                Code::InvalidRegistration,
                &r.ty,
                "a value is owned by the container: register the owned type and pass it to `new`",
            );
        }
        if r.lifetime == Lifetime::Input && matches!(r.ty, Type::Reference(_)) {
            errors.at(
                Code::InvalidRegistration,
                &r.ty,
                "an input is owned by its scope: register the owned type and pass it to `create_scope_with`",
            );
        }
        // a module's private helper is its module's own: two modules may each keep one type
        let seen_key = match (&r.private, &r.module) {
            (Some(_), Some(tag)) => format!("{ty_name} private to {}", tag.id),
            _ => ty_name.clone(),
        };
        if r.private.is_none() {
            if let Some(owner) = c.registrations.iter().find(|p| p.private.is_some() && display(&p.ty) == ty_name) {
                let module = owner.module.as_ref().map(|t| t.name.to_string()).unwrap_or_default();
                errors.at(
                    Code::DuplicateRegistration,
                    &r.ty,
                    format!(
                        "`{ty_name}` is a private helper of the module `{module}`, and registered here too: one type is either a module's own or the container's; register a type of its own here, or make the module's registration public (remove `private`)"
                    ),
                );
            }
        } else if let Some(word) = [&r.hosted, &r.health].into_iter().flatten().next() {
            errors.at(
                Code::InvalidRegistration,
                word,
                format!("`{ty_name}` is a module's private helper: the container does not start or check it; make it public to host it or check its health"),
            );
        }
        match seen.get(&seen_key) {
            Some((_, true)) => errors.at(
                Code::DuplicateRegistration,
                &r.ty,
                format!(
                    "`{ty_name}` is already registered in `{}`, the parent of `{}`: a child sees its parent's registrations; remove this one",
                    c.parent.as_ref().map(ToString::to_string).unwrap_or_default(),
                    c.name
                ),
            ),
            Some((first, false)) => errors.at(
                Code::DuplicateRegistration,
                &r.ty,
                format!(
                    "`{ty_name}` is registered twice in `{}` (first as `{}`): one type has one provider; remove one registration",
                    c.name,
                    first.word()
                ),
            ),
            None => {
                seen.insert(seen_key, (r.lifetime, index < c.from_parent));
            }
        }
        // a type that a generic registration registers already (`Repo<Note>` beside
        // `singleton<T: Entity> Repo<T>;`)
        if r.generics.is_none() && !r.token && !is_dyn {
            let written = display(&r.ty);
            if let Some(generic) = c.registrations.iter().find(|g| super::parse::generic_fits(g, &written)) {
                let advice = if r.member_of.is_some() {
                    "a collection member is a registration of its own, so it cannot be one type of a generic registration (yet): register a type of its own as the member".to_owned()
                } else {
                    format!(
                        "remove this one; a trait can still be bound to it: `{} dyn Trait => {written};`",
                        generic.lifetime.word()
                    )
                };
                errors.at(
                    Code::DuplicateRegistration,
                    &r.ty,
                    format!(
                        "`{written}` is registered twice in `{}`: by `{}<..> {};`, which registers every type that fits, and here; {advice}",
                        c.name,
                        generic.keyword,
                        display(&generic.ty)
                    ),
                );
            }
        }
    }
    super::bindings::check(c, &mut errors);
    for a in &c.absents {
        let key = if a.token { format!("token {}", display(&a.ty)) } else { display(&a.ty) };
        if let Some((lifetime, _)) = seen.get(&key) {
            errors.at(
                Code::AbsentConflict,
                &a.ty,
                format!(
                    "`{}` is registered (as `{}`) and declared `absent`: an optional dependency is one or the other; remove one",
                    display(&a.ty),
                    lifetime.word()
                ),
            );
        }
    }
    errors.finish()
}

/// The members of each map: all keyed or none, one key type, no key twice. Keys written alike are
/// reported here; two constants of the same value written differently, by the `match` the map's
/// expansion writes.
fn validate_maps(c: &Container, errors: &mut Errors) {
    for (trait_ty, members) in super::parse::members_by_trait(&c.registrations[c.from_parent..]) {
        let name = display(trait_ty);
        let Some(first) = members.iter().find_map(|m| m.key.as_ref()) else { continue };
        for m in &members {
            let Some(key) = &m.key else {
                errors.at(
                    Code::InvalidRegistration,
                    &m.ty,
                    format!(
                        "`{}` is a member of the `{name}` map, whose members each have a key: `{} {name} += {}, key = ..;`",
                        display(&m.ty),
                        m.lifetime.word(),
                        display(&m.ty)
                    ),
                );
                continue;
            };
            if display(&key.ty) != display(&first.ty) {
                errors.at(
                    Code::InvalidRegistration,
                    &key.value,
                    format!(
                        "the `{name}` map is keyed by `{}` (`{}`), but this key is a `{}`: one map has one key type",
                        display(&first.ty),
                        display(&first.value),
                        display(&key.ty)
                    ),
                );
            }
        }
        for (i, m) in members.iter().enumerate() {
            let Some(key) = &m.key else { continue };
            let earlier =
                members[..i].iter().find(|e| e.key.as_ref().is_some_and(|k| display(&k.value) == display(&key.value)));
            if let Some(earlier) = earlier {
                errors.at(
                    Code::DuplicateKey,
                    &key.value,
                    format!(
                        "the key `{}` is given twice in the `{name}` map: to `{}` and to `{}`; each member needs its own key",
                        display(&key.value),
                        display(&earlier.ty),
                        display(&m.ty)
                    ),
                );
            }
        }
    }
}

/// A generic registration (`singleton<T: Entity> Repo<T>;`) is an `#[injectable]` struct's, in a
/// lifetime that builds it: not a value or an input, a binding, a factory's, a member, a hosted
/// service, a health check or a decorated service (yet).
fn validate_generic(r: &super::parse::Registration, errors: &mut Errors) {
    let Some(generics) = &r.generics else { return };
    let ty = display(&r.ty);
    let refused = if r.token || matches!(r.lifetime, Lifetime::Value | Lifetime::Input) {
        Some(format!(
            "a `{}` is given, not built: a generic registration is a `singleton`, `scoped` or `transient`",
            r.keyword
        ))
    } else if !matches!(r.source, Source::Itself) || matches!(r.ty, Type::TraitObject(_)) {
        Some(format!(
            "a generic registration builds an `#[injectable]` struct: `{}<..> {ty};`; a generic binding or factory is not supported yet, so register each one: `{} dyn Trait => Impl;`",
            r.keyword, r.keyword
        ))
    } else if r.member_of.is_some() {
        Some("a generic registration cannot be a collection's member: register each member".to_owned())
    } else if r.hosted.is_some() || r.health.is_some() {
        Some(format!(
            "a generic registration stands for every type that fits, which the container cannot start or check: register each one, `{} {ty};` with a type",
            r.keyword
        ))
    } else if !r.decorators.is_empty() {
        Some(format!("`{ty}` is generic: decorators of a generic registration are not supported yet"))
    } else {
        None
    };
    if let Some(message) = refused {
        errors.at(Code::InvalidRegistration, generics, message);
    }
}

/// `token K` and `dyn Trait += Impl` take fewer forms than other registrations.
fn validate_token_and_member(r: &super::parse::Registration, errors: &mut Errors) {
    if r.token {
        if !matches!(r.ty, Type::Path(_)) {
            errors.at(Code::NotAToken, &r.ty, "a token is a type declared with `injectq::token!`: `token ApiKey;`");
        }
        if matches!(r.source, Source::Bind(_) | Source::BindAndFactory(..)) {
            errors.at(
                Code::InvalidRegistration,
                &r.keyword,
                "a token has a value (`token K;`) or a factory (`token K = make_it;`), not an implementation",
            );
        }
        if let Some(d) = &r.dispose {
            errors.at(Code::InvalidRegistration, d.keyword(), "a token's value is not disposed: remove `dispose`");
        }
    }
    if let Some(trait_ty) = &r.member_of {
        if !matches!(trait_ty, Type::TraitObject(_)) {
            errors.at(
                Code::InvalidRegistration,
                trait_ty,
                format!(
                    "`+=` adds an implementation to a trait object's collection: write `{} dyn {} += {};`",
                    r.lifetime.word(),
                    display(trait_ty),
                    display(&r.ty)
                ),
            );
        }
        if r.token || matches!(r.lifetime, Lifetime::Value | Lifetime::Input) {
            errors.at(
                Code::InvalidRegistration,
                &r.keyword,
                "a collection member is a `singleton`, `scoped` or `transient` service",
            );
        }
        if matches!(r.source, Source::Bind(_) | Source::BindAndFactory(..)) {
            errors.at(
                Code::InvalidRegistration,
                &r.ty,
                "write the member's type after `+=`: `singleton dyn Plugin += AuthPlugin;`",
            );
        }
    }
}
