//! The declaration's grammar:
//!
//! ```text
//! container! {
//!     #[scope(AppScope)]          // optional; the default is `<Name>Scope`
//!     pub struct App {
//!         value Config;                           // given to App::new, shared as Arc<Config>
//!         singleton Pool = make_pool, dispose = close_pool; // by a #[factory] fn, closed by a hook
//!         singleton dyn UserRepo => PgUserRepo;   // a trait object, and what implements it
//!         scoped RequestCtx;                      // one per scope
//!         transient UserService;                  // one per resolve
//!     }
//! }
//! ```

use proc_macro2::{Ident, Span, TokenStream};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Path, Token, Type, Visibility};

use crate::errors::{Code, Errors};

#[derive(Clone)]
pub(crate) struct Container {
    /// attributes for the root struct (docs, cfg), without `#[scope(..)]`
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) name: Ident,
    /// `#[scope(Name)]`, or `<Name>Scope`
    pub(crate) scope: Ident,
    /// `#[provides(Name)]`: the trait that stands for everything this container provides
    pub(crate) provides: Option<Ident>,
    pub(crate) generics: syn::Generics,
    pub(crate) registrations: Vec<Registration>,
    /// `absent T;` and `absent token K;`: optional dependencies that resolve to `None`
    pub(crate) absents: Vec<Absent>,
    /// `child pub struct Admin { .. }`: containers that see this one's registrations
    pub(crate) children: Vec<Container>,
    /// `scope JobScope { .. }`: kinds of scope besides the container's own (`scope`), each with
    /// its own scoped services and inputs (their registrations say which, in `kind`)
    pub(crate) kinds: Vec<ScopeKind>,
    /// `config Settings { http: Http };`: typed configurations, lowered into registrations; the
    /// expansion writes how each listed field is picked
    pub(crate) configs: Vec<ConfigDecl>,
    /// for a child: its parent container
    pub(crate) parent: Option<Ident>,
    /// for a child: how many of its registrations, at the front, are its parent's
    pub(crate) from_parent: usize,
}

/// `scope JobScope { input Job; scoped UnitOfWork; }`: a kind of scope of its own.
#[derive(Clone)]
pub(crate) struct ScopeKind {
    /// its docs
    pub(crate) attrs: Vec<Attribute>,
    /// the `scope` keyword, for spans
    pub(crate) keyword: Ident,
    /// the scope type
    pub(crate) name: Ident,
    /// the kind it is nested in (`None`: opened from the container)
    pub(crate) parent: Option<Ident>,
}

/// `absent T;` or `absent token K;`
#[derive(Clone)]
pub(crate) struct Absent {
    pub(crate) keyword: Ident,
    pub(crate) ty: Type,
    pub(crate) token: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Lifetime {
    Value,
    Singleton,
    Scoped,
    Transient,
    /// `input T;`: given to each scope when it is opened
    Input,
}

impl Lifetime {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Lifetime::Value => "value",
            Lifetime::Singleton => "singleton",
            Lifetime::Scoped => "scoped",
            Lifetime::Transient => "transient",
            Lifetime::Input => "input",
        }
    }
}

#[derive(Clone)]
pub(crate) struct Registration {
    /// in a child container: a singleton, value or token of the parent, resolved from it
    pub(crate) inherited: bool,
    /// declared in a `scope Kind { .. }` block: that kind (`None`: the container's own scope)
    pub(crate) kind: Option<Ident>,
    /// the implementation of a shared binding (`singleton dyn Trait => Impl;`) that the
    /// declaration does not register itself: registered for the binding (see `bindings`)
    pub(crate) implied: bool,
    /// implied by a choice (`dyn T => match ..`): created only when chosen, so `start()` leaves it
    pub(crate) alternative: bool,
    /// `token K;` (a value) or `token K = f;` (a singleton): `ty` is the token, and what is
    /// provided is `Tagged<K>`
    pub(crate) token: bool,
    /// `dyn Trait += Impl;`: `ty` is `Impl`, registered as usual, and also a member of the
    /// `Vec<Arc<dyn Trait>>` collection
    pub(crate) member_of: Option<Type>,
    /// `singleton<T: Entity> Repo<T>;`: the registration's parameters and bounds; each type that
    /// fits is registered, with a slot of its own (a `TypeSlots` field)
    pub(crate) generics: Option<syn::Generics>,
    /// `dyn Trait += Impl, key = K;`: also the entry `K` of the `HashMap<Key, Arc<dyn Trait>>` map
    pub(crate) key: Option<MapKey>,
    pub(crate) lifetime: Lifetime,
    /// the keyword, for spans
    pub(crate) keyword: Ident,
    /// what is resolved: `Pool`, or `dyn UserRepo` for a binding
    pub(crate) ty: Type,
    /// `ty` as written when it names `Self` (`Worker<Self>`), which `ty` names the container by:
    /// the `#[provides]` trait keeps the `Self`, so that each container provides its own
    pub(crate) written: Option<Type>,
    pub(crate) source: Source,
    /// `, dispose` or `, dispose = hook` after a factory
    pub(crate) dispose: Option<Dispose>,
    /// `hosted T;`: a singleton that is also a hosted service (its keyword)
    pub(crate) hosted: Option<Ident>,
    /// `, health`: a singleton whose `HealthCheck` the container runs (the option's keyword)
    pub(crate) health: Option<Ident>,
    /// `decorate T = f;` lines for it, in declaration order (the innermost first)
    pub(crate) decorators: Vec<Decoration>,
    /// the module it came from, when that module keeps private parts (`in mail ID: ..`, written
    /// by the module's macro): its services are built in the module's context
    pub(crate) module: Option<ModuleTag>,
    /// `private singleton SmtpPool;` in a module: only the module's services can resolve it
    pub(crate) private: Option<Ident>,
}

/// A module with private parts, as its registrations carry it: its name, and the name of its
/// macro, which is unique.
#[derive(Clone)]
pub(crate) struct ModuleTag {
    pub(crate) name: Ident,
    pub(crate) id: Ident,
}

impl PartialEq for ModuleTag {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// A map member's key: a constant (a literal, an enum variant, a `const`), and its type, written
/// (`key: Route = Route::Users`) or read from the literal (`key = "users"` is a `&'static str`).
#[derive(Clone)]
pub(crate) struct MapKey {
    /// the option's keyword, for spans
    pub(crate) keyword: Ident,
    pub(crate) value: syn::Expr,
    pub(crate) ty: Type,
}

impl MapKey {
    /// `key = value` or `key: Type = value`, after the keyword.
    fn parse(keyword: Ident, input: ParseStream<'_>) -> syn::Result<Self> {
        let written = if input.peek(Token![:]) {
            input.parse::<Token![:]>()?;
            Some(input.parse::<Type>()?)
        } else {
            None
        };
        if !input.peek(Token![=]) {
            return Err(
                input.error("expected `= constant` after `key`: `key = \"users\"`, or `key: Route = Route::Users`")
            );
        }
        input.parse::<Token![=]>()?;
        let value: syn::Expr = input.parse()?;
        let ty = match written {
            Some(ty) => ty,
            None => key_type(&value).ok_or_else(|| {
                syn::Error::new_spanned(
                    &value,
                    format!(
                        "the type of the key `{}` cannot be read from it: write it, `key: Type = {}`",
                        crate::names::display(&value),
                        crate::names::display(&value)
                    ),
                )
            })?,
        };
        Ok(MapKey { keyword, value, ty })
    }
}

/// The type of a key written without one: a literal's (`"users"`: `&'static str`; `7u32`; `'a'`),
/// or an enum variant's enum (`Route::Users`: `Route`).
fn key_type(value: &syn::Expr) -> Option<Type> {
    use syn::Lit;
    let ty = match value {
        syn::Expr::Lit(lit) => match &lit.lit {
            Lit::Str(_) => quote::quote!(&'static str),
            Lit::Char(_) => quote::quote!(char),
            Lit::Bool(_) => quote::quote!(bool),
            Lit::Byte(_) => quote::quote!(u8),
            Lit::Int(i) if !i.suffix().is_empty() => {
                let suffix = proc_macro2::Ident::new(i.suffix(), i.span());
                quote::quote!(#suffix)
            }
            _ => return None,
        },
        syn::Expr::Path(p) if p.path.segments.len() >= 2 && p.qself.is_none() => {
            let mut path = p.path.clone();
            path.segments.pop();
            path.segments.pop_punct();
            quote::quote!(#path)
        }
        _ => return None,
    };
    syn::parse2(ty).ok()
}

#[derive(Clone)]
pub(crate) enum Dispose {
    /// `, dispose`: through the type's `AsyncDispose` impl
    Impl(Ident),
    /// `, dispose = hook`: `async fn hook(&T) -> Result<(), E>`
    Hook(Ident, Path),
}

impl Dispose {
    pub(crate) fn keyword(&self) -> &Ident {
        match self {
            Dispose::Impl(k) | Dispose::Hook(k, _) => k,
        }
    }
}

#[derive(Clone)]
pub(crate) enum Source {
    /// built by `#[injectable]` (or given, for a value)
    Itself,
    /// `dyn Trait => Impl`
    Bind(Type),
    /// `= factory_fn`
    Factory(Path),
    /// `dyn Trait => Impl = factory`: the implementation, built by the factory
    BindAndFactory(Type, Path),
    /// a shared binding, lowered (see `bindings`): the instance of `Impl`'s own registration, as
    /// the trait object
    Alias(Type),
    /// a shared binding with decorators, lowered: the instance of `Impl`'s own registration, as
    /// the trait object, decorated, in a slot of its own
    Instance(Type),
    /// `dyn Trait => match Selector { Pat => Impl, .. }`: one of several implementations, chosen
    /// when it is built, each registered (by the user, or implied by the choice)
    Choice(Choice),
}

/// `match Profile { Profile::Live => Smtp, Profile::Test => Outbox }`: what the choice reads
/// and its alternatives, each an implementation.
#[derive(Clone)]
pub(crate) struct Choice {
    /// the `match` keyword, for spans
    pub(crate) keyword: Token![match],
    pub(crate) selector: Selector,
    pub(crate) arms: Vec<ChoiceArm>,
}

#[derive(Clone)]
pub(crate) enum Selector {
    /// a registered type, resolved as `Arc<T>` and matched by reference
    Resolved(Type),
    /// `cfg!(..)`, or another macro call: an expression, evaluated where the service is built
    Expr(syn::ExprMacro),
}

#[derive(Clone)]
pub(crate) struct ChoiceArm {
    pub(crate) pat: syn::Pat,
    pub(crate) guard: Option<syn::Expr>,
    pub(crate) imp: Type,
}

impl Parse for Choice {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let keyword: Token![match] = input.parse()?;
        let selector = if input.fork().parse::<syn::ExprMacro>().is_ok() {
            Selector::Expr(input.parse()?)
        } else {
            Selector::Resolved(input.parse()?)
        };
        let body;
        syn::braced!(body in input);
        let mut arms = Vec::new();
        while !body.is_empty() {
            let pat = syn::Pat::parse_multi_with_leading_vert(&body)?;
            let guard = if body.peek(Token![if]) {
                body.parse::<Token![if]>()?;
                Some(body.parse::<syn::Expr>()?)
            } else {
                None
            };
            body.parse::<Token![=>]>()?;
            let imp: Type = body.parse()?;
            arms.push(ChoiceArm { pat, guard, imp: one_span(imp) });
            if body.is_empty() {
                break;
            }
            body.parse::<Token![,]>()?;
        }
        if arms.is_empty() {
            return Err(syn::Error::new(keyword.span, "a choice needs at least one alternative: `Pattern => Impl`"));
        }
        Ok(Choice { keyword, selector, arms })
    }
}

impl Parse for Container {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let container = Container::parse_with(input, attrs)?;
        if !input.is_empty() {
            return Err(
                input.error("unexpected tokens after the container's `{ .. }`: declare one container per `container!`")
            );
        }
        Ok(container)
    }
}

impl Container {
    /// A container declaration after its attributes: the top-level one, or a `child`.
    fn parse_with(input: ParseStream<'_>, mut attrs: Vec<Attribute>) -> syn::Result<Self> {
        let scope_attr = take_name_attr(&mut attrs, "scope", "the name of the generated scope type")?;
        let provides = take_name_attr(
            &mut attrs,
            "provides",
            "the name of the generated trait that stands for everything the container provides",
        )?;
        let vis: Visibility = input.parse()?;
        if !input.peek(Token![struct]) {
            return Err(input.error(
                "expected `struct`: a container is declared as `pub struct App { singleton Db; scoped Ctx; .. }`",
            ));
        }
        input.parse::<Token![struct]>()?;
        let name: Ident = input.parse()?;
        let generics: syn::Generics = input.parse()?;
        let body;
        syn::braced!(body in input);
        let mut errors = Errors::default();
        let mut registrations = Vec::new();
        let mut absents = Vec::new();
        let mut children = Vec::new();
        let mut kinds = Vec::new();
        let mut decorations: Vec<Decoration> = Vec::new();
        let mut configs: Vec<ConfigDecl> = Vec::new();
        while !body.is_empty() {
            let child_attrs = body.call(Attribute::parse_outer)?;
            let keyword = body.fork().call(<Ident as syn::ext::IdentExt>::parse_any).ok();
            if !child_attrs.is_empty() && keyword.as_ref().is_none_or(|k| k != "child" && k != "scope") {
                errors.at(
                    Code::ContainerSyntax,
                    &child_attrs[0],
                    "attributes go on a `child` container or a `scope` kind only",
                );
            }
            let parsed = match keyword.as_ref().map(ToString::to_string).as_deref() {
                Some("child") => {
                    body.parse::<Ident>()?;
                    Container::parse_with(&body, child_attrs).map(|child| children.push(child))
                }
                Some("scope") => parse_kind(&body, child_attrs, None, &mut errors).map(|(nested, regs)| {
                    kinds.extend(nested);
                    registrations.extend(regs);
                }),
                Some("import") => {
                    // top-level imports are expanded before parsing: this one is in a `child`
                    let keyword: Ident = body.parse()?;
                    Err(syn::Error::new(
                        keyword.span(),
                        "`import` goes in the top-level container: a child sees its parent's registrations, so import the module into the parent",
                    ))
                }
                Some("absent") => body.parse::<Absent>().map(|a| absents.push(a)),
                Some("decorate") => body.parse::<Decoration>().map(|d| decorations.push(d)),
                Some("in") => parse_in_module(&body).map(|r| registrations.push(r)),
                Some("private") => {
                    let keyword = body.call(<Ident as syn::ext::IdentExt>::parse_any)?;
                    Err(syn::Error::new(
                        keyword.span(),
                        "`private` goes in a `module!`: it keeps a helper to the module's own services; a container's registrations are all its own",
                    ))
                }
                Some("config") => body.parse::<ConfigDecl>().map(|d| {
                    registrations.extend(d.registrations(&name));
                    configs.push(d);
                }),
                Some("override") => {
                    let keyword = body.call(<Ident as syn::ext::IdentExt>::parse_any)?;
                    body.parse::<Registration>()
                        .map(|r| override_registration(&mut registrations, keyword, r, &mut errors))
                }
                _ => body.parse::<Registration>().map(|r| registrations.push(r)),
            };
            if let Err(error) = parsed {
                errors.push(error);
                skip_past_semicolon(&body);
            }
        }
        // each decorator goes on the registration of the type it names, in declaration order
        for d in decorations {
            let written = crate::names::display(&d.ty);
            // as written, or else by the key `override` matches by: a module's `crate::Mailer`
            // and a test container's `Mailer` name the same registration
            let exact = registrations.iter().position(|r| !r.token && crate::names::display(&r.ty) == written);
            let key = type_key(&d.ty);
            let at = exact.or_else(|| registrations.iter().position(|r| !r.token && type_key(&r.ty) == key));
            match at.map(|at| &mut registrations[at]) {
                Some(r) => r.decorators.push(d),
                None => errors.at(
                    Code::InvalidRegistration,
                    &d.ty,
                    format!(
                        "`decorate {written}`: `{written}` is not registered in `{name}`; register it first (`singleton {written}{};`), then decorate it",
                        if matches!(d.ty, Type::TraitObject(_)) { " => Impl" } else { "" }
                    ),
                ),
            }
        }
        // what follows is the caller's to parse: another `child` in a container's body, or (at the
        // top level) nothing
        errors.finish()?;
        for r in &mut registrations {
            r.name_self(&name);
        }
        let scope = scope_attr.unwrap_or_else(|| Ident::new(&format!("{name}Scope"), name.span()));
        Ok(Container {
            attrs,
            vis,
            name,
            scope,
            provides,
            generics,
            registrations,
            absents,
            children,
            kinds,
            configs,
            parent: None,
            from_parent: 0,
        })
    }
}

/// `scope JobScope { .. }`, after its attributes: the kind and the kinds nested in it (`parent`:
/// the kind this one is nested in), and their registrations (each marked with its kind). A kind
/// holds what lives in its scopes: `scoped` services, `input`s, the `transient`s built there, and
/// kinds of scope opened inside them (`scope MessageScope { .. }`); everything else is the
/// container's.
pub(crate) fn parse_kind(
    input: ParseStream<'_>,
    attrs: Vec<Attribute>,
    parent: Option<&Ident>,
    errors: &mut Errors,
) -> syn::Result<(Vec<ScopeKind>, Vec<Registration>)> {
    let keyword: Ident = input.parse()?;
    let name: Ident = input.parse().map_err(|e| {
        syn::Error::new(e.span(), "expected the scope type's name: `scope JobScope { input Job; scoped UnitOfWork; }`")
    })?;
    if !input.peek(syn::token::Brace) {
        return Err(input.error(format!("expected `{{` after `scope {name}`: its scoped services and inputs")));
    }
    let body;
    syn::braced!(body in input);
    let mut kinds = vec![ScopeKind { attrs, keyword, name: name.clone(), parent: parent.cloned() }];
    let mut registrations = Vec::new();
    while !body.is_empty() {
        let attrs = body.call(Attribute::parse_outer)?;
        let word = body.fork().call(<Ident as syn::ext::IdentExt>::parse_any).ok();
        let parsed = match word.as_ref().map(ToString::to_string).as_deref() {
            Some("scope") => parse_kind(&body, attrs, Some(&name), errors).map(|(nested, regs)| {
                kinds.extend(nested);
                registrations.extend(regs);
            }),
            Some(top @ ("child" | "import" | "absent" | "override")) => {
                let word = body.call(<Ident as syn::ext::IdentExt>::parse_any)?;
                Err(syn::Error::new(word.span(), format!("`{top}` goes at the container's top level, not in a `scope` kind")))
            }
            _ => body.parse::<Registration>().and_then(|mut r| match r.lifetime {
                Lifetime::Scoped | Lifetime::Input | Lifetime::Transient if !r.token => {
                    r.kind = Some(name.clone());
                    registrations.push(r);
                    Ok(())
                }
                _ => Err(syn::Error::new(
                    r.keyword.span(),
                    format!(
                        "`{}` goes at the container's top level: a `scope` kind holds its own `scoped` services, `input`s and `transient`s, and every kind of scope sees the container's",
                        r.keyword
                    ),
                )),
            }),
        };
        if let Err(error) = parsed {
            errors.push(error);
            skip_past_semicolon(&body);
        }
    }
    Ok((kinds, registrations))
}

impl Registration {
    /// `Self` in the registration's types and factory path is the container being declared:
    /// `singleton Worker<Self>;`, also in a module, which every importing container then reads as
    /// its own (a worker generic over its container, shared by production and a test container).
    fn name_self(&mut self, container: &Ident) {
        let written = self.ty.clone();
        name_self(&mut self.ty, container);
        // compared as tokens (syn's `PartialEq` needs its `extra-traits` feature, a cost in every
        // user's first build)
        if quote::ToTokens::to_token_stream(&self.ty).to_string()
            != quote::ToTokens::to_token_stream(&written).to_string()
        {
            self.written = Some(written);
        }
        if let Some(collection) = &mut self.member_of {
            name_self(collection, container);
        }
        match &mut self.source {
            Source::Bind(imp) | Source::Alias(imp) | Source::Instance(imp) => name_self(imp, container),
            Source::BindAndFactory(imp, factory) => {
                name_self(imp, container);
                name_self(factory, container);
            }
            Source::Factory(factory) => name_self(factory, container),
            Source::Choice(choice) => {
                for arm in &mut choice.arms {
                    name_self(&mut arm.imp, container);
                }
            }
            Source::Itself => {}
        }
    }
}

/// `Self` in a type or path of a registration (see [`Registration::name_self`]).
fn name_self<T: syn::parse::Parse + quote::ToTokens>(item: &mut T, container: &Ident) {
    if let Ok(named) = syn::parse2(self_named(item.to_token_stream(), &quote::quote!(#container))) {
        *item = named;
    }
}

/// `tokens` with each `Self` replaced by `by` (the container's name, or in the `#[provides]` trait
/// the type that implements it), on the span of the `Self`.
pub(crate) fn self_named(tokens: TokenStream, by: &TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .flat_map(|tt| -> Vec<proc_macro2::TokenTree> {
            match tt {
                proc_macro2::TokenTree::Ident(i) if i == "Self" => respan(by.clone(), i.span()).into_iter().collect(),
                proc_macro2::TokenTree::Group(g) => {
                    let mut group = proc_macro2::Group::new(g.delimiter(), self_named(g.stream(), by));
                    group.set_span(g.span());
                    vec![proc_macro2::TokenTree::Group(group)]
                }
                other => vec![other],
            }
        })
        .collect()
}

/// Takes `#[which(Name)]` (`#[scope(..)]`, `#[provides(..)]`) out of `attrs`: `Name`, the name of
/// what `container!` generates (`what`).
fn take_name_attr(attrs: &mut Vec<Attribute>, which: &str, what: &str) -> syn::Result<Option<Ident>> {
    let mut name = None;
    let mut error = None;
    attrs.retain(|attr| {
        if !attr.path().is_ident(which) {
            return true;
        }
        match attr.parse_args::<Ident>() {
            Ok(ident) if name.is_none() => name = Some(ident),
            Ok(_) => {
                error = Some(syn::Error::new_spanned(
                    attr,
                    crate::errors::coded(
                        crate::errors::Code::ContainerSyntax,
                        format!("`#[{which}]` is given twice; keep one `#[{which}(Name)]`"),
                    ),
                ))
            }
            Err(_) => {
                error = Some(syn::Error::new_spanned(
                    attr,
                    crate::errors::coded(
                        crate::errors::Code::ContainerSyntax,
                        format!("expected `#[{which}(Name)]`: {what}"),
                    ),
                ))
            }
        }
        false
    });
    error.map_or(Ok(name), Err)
}

/// `override <registration>;` replaces the earlier registration of the same type (usually one
/// that an imported module made): a test's fake, without editing the production declaration.
fn override_registration(registrations: &mut [Registration], keyword: Ident, r: Registration, errors: &mut Errors) {
    let key = override_key(&r);
    match registrations.iter().position(|earlier| override_key(earlier) == key) {
        Some(at) => registrations[at] = r,
        None => errors.at(
                Code::ContainerSyntax,
            &keyword,
            format!(
                "nothing to override: no registration of `{}` comes before this one; `override` replaces a registration (usually from an `import`ed module), write it after the import",
                crate::names::display(&r.ty)
            ),
        ),
    }
}

/// A registration's type with its paths cut to their last segment: `$crate::time::Clock` in a
/// module and `Clock` in a test name the same registration.
fn override_key(r: &Registration) -> String {
    format!("{}{}", if r.token { "token " } else { "" }, type_key(&r.ty))
}

/// A type with its paths cut to their last segment (see [`override_key`]).
/// The collection members among `registrations` (`dyn Plugin += Auth;`), by the trait object they
/// are members of, in order: one group per trait, matched by the key `override` matches types by,
/// so that a module's `dyn crate::Plugin` and a container's `dyn Plugin` are one collection.
pub(crate) fn members_by_trait<'a>(
    registrations: impl IntoIterator<Item = &'a Registration>,
) -> Vec<(&'a Type, Vec<&'a Registration>)> {
    let mut groups: Vec<(String, &Type, Vec<&Registration>)> = Vec::new();
    for r in registrations {
        let Some(trait_ty) = &r.member_of else { continue };
        let key = type_key(trait_ty);
        match groups.iter_mut().find(|(k, ..)| *k == key) {
            Some((.., members)) => members.push(r),
            None => groups.push((key, trait_ty, vec![r])),
        }
    }
    groups.into_iter().map(|(_, trait_ty, members)| (trait_ty, members)).collect()
}

/// Whether generic registration `r` (`singleton<T: Entity> Repo<T>;`) registers the type written
/// `imp` (`Repo<Note>`): the same path, with as many arguments. Whether the arguments meet the
/// bounds is rustc's to say, where the type is used.
pub(crate) fn generic_fits(r: &Registration, imp: &str) -> bool {
    let head = |written: &str| -> (String, usize) {
        let (path, args) = written.split_once('<').unwrap_or((written, ""));
        let mut depth = 0usize;
        let mut count = usize::from(!args.trim_end_matches('>').is_empty());
        for c in args.chars() {
            match c {
                '<' | '(' | '[' => depth += 1,
                '>' | ')' | ']' => depth = depth.saturating_sub(1),
                ',' if depth == 0 => count += 1,
                _ => {}
            }
        }
        (path.rsplit("::").next().unwrap_or(path).to_owned(), count)
    };
    r.generics.is_some() && head(&crate::names::display(&r.ty)) == head(imp)
}

pub(crate) fn type_key(ty: &Type) -> String {
    let full = crate::names::display(ty);
    let mut key = String::with_capacity(full.len());
    let mut segment = String::new();
    let mut chars = full.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ':' && chars.peek() == Some(&':') {
            chars.next();
            segment.clear(); // drop the path prefix
            continue;
        }
        if c.is_alphanumeric() || c == '_' || c == '$' {
            segment.push(c);
        } else {
            key.push_str(&segment);
            segment.clear();
            key.push(c);
        }
    }
    key.push_str(&segment);
    key
}

/// The type with every token on the span of its first: generated code and the type's own tokens
/// then report a broken registration at one place, which rustc shows once. A module's `$crate`
/// keeps its span, which is what makes it resolve to the module's crate.
fn one_span(ty: Type) -> Type {
    use quote::ToTokens;
    let tokens = ty.to_token_stream();
    let Some(first) = tokens.clone().into_iter().next() else { return ty };
    let respanned = respan(tokens, first.span());
    syn::parse2(respanned).unwrap_or(ty)
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    let mut out = Vec::new();
    let mut after_dollar = false;
    for mut tt in tokens {
        let keep = after_dollar && matches!(&tt, proc_macro2::TokenTree::Ident(i) if i == "crate");
        after_dollar = matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == '$');
        match &mut tt {
            proc_macro2::TokenTree::Group(g) => {
                let mut group = proc_macro2::Group::new(g.delimiter(), respan(g.stream(), span));
                group.set_span(span);
                tt = proc_macro2::TokenTree::Group(group);
            }
            other if !keep => other.set_span(span),
            _ => {}
        }
        out.push(tt);
    }
    out.into_iter().collect()
}

/// Does the registration ahead (up to its `;`) contain `+=`?
fn has_plus_eq(input: ParseStream<'_>) -> bool {
    let mut cursor = input.cursor();
    let mut previous_plus = false;
    while let Some((tt, next)) = cursor.token_tree() {
        if let proc_macro2::TokenTree::Punct(p) = &tt {
            match p.as_char() {
                ';' => return false,
                '=' if previous_plus => return true,
                _ => {}
            }
            previous_plus = p.as_char() == '+' && p.spacing() == proc_macro2::Spacing::Joint;
        } else {
            previous_plus = false;
        }
        cursor = next;
    }
    false
}

/// After a bad registration, continue at the next one so that every mistake is reported.
fn skip_past_semicolon(input: ParseStream<'_>) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            rest = next;
            if let proc_macro2::TokenTree::Punct(p) = &tt
                && p.as_char() == ';'
            {
                return Ok(((), rest));
            }
        }
        Ok(((), rest))
    });
}

const KEYWORDS: [&str; 10] =
    ["singleton", "hosted", "scoped", "transient", "value", "input", "token", "absent", "decorate", "config"];

/// `in mail ID: [private] registration`: a registration of a module that keeps private parts, as
/// its macro writes it.
fn parse_in_module(input: ParseStream<'_>) -> syn::Result<Registration> {
    input.parse::<Token![in]>()?;
    let name: Ident = input.parse()?;
    let id: Ident = input.parse()?;
    input.parse::<Token![:]>()?;
    let private = if input.peek(syn::Ident) && input.fork().parse::<Ident>().is_ok_and(|i| i == "private") {
        Some(input.parse::<Ident>()?)
    } else {
        None
    };
    let mut r: Registration = input.parse()?;
    r.module = Some(ModuleTag { name, id });
    r.private = private;
    Ok(r)
}

/// `config Settings;` or `config Settings { http: Http, db: Db };`: a loaded configuration (the
/// constructor's `Configured<Settings>` argument), provided whole and by listed field, each also
/// `Live`.
#[derive(Clone)]
pub(crate) struct ConfigDecl {
    pub(crate) keyword: Ident,
    pub(crate) ty: Type,
    /// the listed fields and their types
    pub(crate) parts: Vec<(Ident, Type)>,
}

impl Parse for ConfigDecl {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let keyword = input.call(<Ident as syn::ext::IdentExt>::parse_any)?;
        let ty: Type = input.parse()?;
        let mut parts = Vec::new();
        if input.peek(syn::token::Brace) {
            let body;
            syn::braced!(body in input);
            while !body.is_empty() {
                let field: Ident = body.parse()?;
                body.parse::<Token![:]>()?;
                let part: Type = body.parse()?;
                parts.push((field, one_span(part)));
                if body.is_empty() {
                    break;
                }
                body.parse::<Token![,]>()?;
            }
        }
        if !input.peek(Token![;]) {
            return Err(input.error(format!(
                "expected `;` after `config {}`, or the fields to provide: `config {} {{ http: Http }};`",
                crate::names::display(&ty),
                crate::names::display(&ty)
            )));
        }
        input.parse::<Token![;]>()?;
        Ok(ConfigDecl { keyword, ty: one_span(ty), parts })
    }
}

impl ConfigDecl {
    /// The type that picks field `field` (written by the expansion).
    pub(crate) fn picker(&self, container: &Ident, field: &Ident) -> Ident {
        let short = crate::names::last_name(&self.ty).unwrap_or_default();
        let field = field.to_string();
        let field: String = field
            .split('_')
            .map(|w| {
                let mut c = w.chars();
                c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
            })
            .collect();
        Ident::new(&format!("{container}{short}{field}"), self.keyword.span())
    }

    /// The registrations it stands for: the configuration (given), the whole and each field
    /// (singletons, the values when first resolved), and their `Live` values (transients).
    fn registrations(&self, container: &Ident) -> Vec<Registration> {
        let (ty, span) = (&self.ty, self.keyword.span());
        let config = quote::quote_spanned!(span=> ::injectq::config);
        let parse_ty = |tokens: proc_macro2::TokenStream| -> Type { syn::parse2(tokens).expect("a type") };
        let parse_path = |tokens: proc_macro2::TokenStream| -> Path { syn::parse2(tokens).expect("a path") };
        let registration = |lifetime: Lifetime, word: &str, ty: Type, source: Source| Registration {
            inherited: false,
            kind: None,
            implied: false,
            alternative: false,
            token: false,
            member_of: None,
            key: None,
            generics: None,
            lifetime,
            keyword: Ident::new(word, span),
            ty,
            written: None,
            source,
            dispose: None,
            hosted: None,
            health: None,
            decorators: Vec::new(),
            module: None,
            private: None,
        };
        let mut out = vec![
            registration(Lifetime::Value, "value", parse_ty(quote::quote!(#config::Configured<#ty>)), Source::Itself),
            registration(
                Lifetime::Singleton,
                "singleton",
                ty.clone(),
                Source::Factory(parse_path(quote::quote!(#config::ConfigWhole<#ty>))),
            ),
            registration(
                Lifetime::Transient,
                "transient",
                parse_ty(quote::quote!(#config::Live<#ty>)),
                Source::Factory(parse_path(quote::quote!(#config::ConfigLive<#ty>))),
            ),
        ];
        for (field, part) in &self.parts {
            let picker = self.picker(container, field);
            out.push(registration(
                Lifetime::Singleton,
                "singleton",
                part.clone(),
                Source::Factory(parse_path(quote::quote!(#config::ConfigPart<#ty, #picker>))),
            ));
            out.push(registration(
                Lifetime::Transient,
                "transient",
                parse_ty(quote::quote!(#config::Live<#part>)),
                Source::Factory(parse_path(quote::quote!(#config::ConfigLivePart<#ty, #picker>))),
            ));
        }
        out
    }
}

/// `decorate T = f;`: `f`, a `#[factory]` with an `#[inner]` parameter, wraps `T`'s instance;
/// `, dispose` (or `, dispose = hook`): what `f` returns is disposed with the service.
#[derive(Clone)]
pub(crate) struct Decoration {
    pub(crate) ty: Type,
    pub(crate) with: Path,
    pub(crate) dispose: Option<Dispose>,
}

impl Parse for Decoration {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        input.call(<Ident as syn::ext::IdentExt>::parse_any)?;
        let ty: Type = input.parse()?;
        if !input.peek(Token![=]) {
            return Err(input.error(format!(
                "expected `= decorator` after `decorate {}`: a `#[factory]` whose `#[inner]` parameter takes the service",
                crate::names::display(&ty)
            )));
        }
        input.parse::<Token![=]>()?;
        let with: Path = input.parse()?;
        let mut dispose = None;
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
            let keyword: Ident = input.parse()?;
            if keyword != "dispose" {
                return Err(syn::Error::new(
                    keyword.span(),
                    format!("unknown decorator option `{keyword}`: the option is `dispose` (or `dispose = hook`)"),
                ));
            }
            dispose = Some(if input.peek(Token![=]) {
                input.parse::<Token![=]>()?;
                Dispose::Hook(keyword, input.parse()?)
            } else {
                Dispose::Impl(keyword)
            });
        }
        if !input.peek(Token![;]) {
            return Err(input.error("expected `;` after the decorator"));
        }
        input.parse::<Token![;]>()?;
        Ok(Decoration { ty, with, dispose })
    }
}

impl Parse for Absent {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let keyword: Ident = input.parse()?;
        let token = input.fork().parse::<Ident>().is_ok_and(|k| k == "token");
        if token {
            input.parse::<Ident>()?;
        }
        let ty: Type = input.parse()?;
        if !input.peek(Token![;]) {
            return Err(input.error(format!("expected `;` after `absent {}`", crate::names::display(&ty))));
        }
        input.parse::<Token![;]>()?;
        Ok(Absent { keyword, ty, token })
    }
}

impl Parse for Registration {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let keyword: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected a registration: `singleton T;`, `scoped T;`, `transient T;`, `value T;`, `input T;` or `hosted T;`",
            )
        })?;
        let mut token = false;
        let mut lifetime = match keyword.to_string().as_str() {
            "token" => {
                token = true;
                Lifetime::Value // a singleton if it has a factory, set below
            }
            "value" => Lifetime::Value,
            "singleton" | "hosted" => Lifetime::Singleton,
            "scoped" => Lifetime::Scoped,
            "transient" => Lifetime::Transient,
            "input" => Lifetime::Input,
            other => return Err(unknown_keyword(&keyword, other)),
        };
        // `singleton<T: Entity> Repo<T>;`: a generic registration, one per type that fits
        let mut generics = if input.peek(Token![<]) { Some(input.parse::<syn::Generics>()?) } else { None };
        // in `dyn Plugin += Auth`, the `+` is not one of the trait object's bounds
        let mut ty: Type = if has_plus_eq(input) { Type::without_plus(input)? } else { input.parse()? };
        let mut member_of = None;
        if input.peek(Token![+=]) {
            input.parse::<Token![+=]>()?;
            member_of = Some(std::mem::replace(&mut ty, input.parse()?));
        }
        let mut choice = None;
        let bind = if input.peek(Token![=>]) {
            input.parse::<Token![=>]>()?;
            if input.peek(Token![match]) {
                choice = Some(input.parse::<Choice>()?);
                None
            } else {
                Some(input.parse::<Type>()?)
            }
        } else {
            None
        };
        let factory = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            Some(input.parse::<Path>()?)
        } else {
            None
        };
        if input.peek(Token![where]) {
            let clause: syn::WhereClause = input.parse()?;
            match &mut generics {
                Some(g) => g.make_where_clause().predicates.extend(clause.predicates),
                None => {
                    return Err(syn::Error::new(
                        clause.where_token.span,
                        format!(
                            "a `where` clause goes with a generic registration's parameters: `{}<T> {} where ..;`",
                            keyword,
                            crate::names::display(&ty)
                        ),
                    ));
                }
            }
        }
        // options, each once: `, dispose` (or `, dispose = hook`), `, health`, `, key = K`
        let (mut dispose, mut health, mut key) = (None, None, None);
        while input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
            let keyword: Ident = input.parse()?;
            let twice = || syn::Error::new(keyword.span(), format!("`{keyword}` is given twice"));
            match keyword.to_string().as_str() {
                "dispose" if dispose.is_some() => return Err(twice()),
                "health" if health.is_some() => return Err(twice()),
                "key" if key.is_some() => return Err(twice()),
                "key" if member_of.is_none() => {
                    return Err(syn::Error::new(
                        keyword.span(),
                        format!(
                            "a key makes a member of a map: write `{} dyn Trait += {}, key = ..;`",
                            lifetime.word(),
                            crate::names::display(&ty)
                        ),
                    ));
                }
                "key" => key = Some(MapKey::parse(keyword, input)?),
                "dispose" if input.peek(Token![=]) => {
                    input.parse::<Token![=]>()?;
                    dispose = Some(Dispose::Hook(keyword, input.parse()?));
                }
                "dispose" => dispose = Some(Dispose::Impl(keyword)),
                "health" => health = Some(keyword),
                _ => {
                    return Err(syn::Error::new(
                        keyword.span(),
                        format!(
                            "unknown registration option `{keyword}`: the options are `dispose` (or `dispose = hook`), `health`, and `key = ..` for a map member"
                        ),
                    ));
                }
            }
        }
        if !input.peek(Token![;]) {
            return Err(input.error(format!("expected `;` after the registration of `{}`", crate::names::display(&ty))));
        }
        input.parse::<Token![;]>()?;
        if token && factory.is_some() {
            lifetime = Lifetime::Singleton;
        }
        let source = match (bind, factory) {
            (None, None) if choice.is_some() => Source::Choice(choice.expect("checked")),
            (None, None) => Source::Itself,
            (Some(b), None) => Source::Bind(b),
            (None, Some(f)) => Source::Factory(f),
            (Some(b), Some(f)) => Source::BindAndFactory(b, f),
        };
        let source = match source {
            Source::Bind(imp) => Source::Bind(one_span(imp)),
            Source::BindAndFactory(imp, f) => Source::BindAndFactory(one_span(imp), f),
            other => other,
        };
        let hosted = (keyword == "hosted").then(|| keyword.clone());
        Ok(Registration {
            inherited: false,
            kind: None,
            implied: false,
            alternative: false,
            token,
            member_of,
            key,
            generics,
            lifetime,
            keyword,
            ty: one_span(ty),
            written: None,
            source,
            dispose,
            hosted,
            health,
            decorators: Vec::new(),
            module: None,
            private: None,
        })
    }
}

fn unknown_keyword(keyword: &Ident, text: &str) -> syn::Error {
    let close = KEYWORDS.iter().find(|k| edit_distance(k, text) <= 2);
    let hint = close.map(|k| format!("; did you mean `{k}`?")).unwrap_or_default();
    syn::Error::new(
        keyword.span(),
        format!(
            "unknown registration `{text}`: expected `singleton`, `scoped`, `transient`, `value`, `input`, `token`, `hosted` or `absent` (or `decorate`, `scope`, `import`, `override`, `child`){hint}"
        ),
    )
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(cur) };
            prev = cur;
        }
    }
    row[b.len()]
}

impl Registration {
    /// The span of the whole registration's type, where its errors belong.
    pub(crate) fn span(&self) -> Span {
        syn::spanned::Spanned::span(&self.ty)
    }
}
