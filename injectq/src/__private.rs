//! What generated code uses, always as `::injectq::__private::...`: re-exports only, in the manner
//! of serde's `private` module; the logic lives in the modules named here. Not a public API: it may
//! change in any release.

pub use core::future::ready;
pub use core::marker::{Send, Sync};
pub use core::option::Option;
pub use core::result::Result::{Err, Ok};
pub use std::boxed::Box;
pub use std::sync::Arc as ArcType;

pub use crate::bag::{Bags, DisposeBag};
pub use crate::checked::{Checked, ThreadSafe};
pub use crate::dispose::Disposer;
pub use crate::fields::*;
pub use crate::future::BoxFuture;
pub use crate::graph::{Graph, Lifetime, NO_NODE, Node, check_graph, outlined, settled};
pub use crate::handles::OpenedFrom;
pub use crate::health::{Check, checked, health};
pub use crate::hooks::{DisposeOption, HookOutcome, InitCall, dispose_option, hook_result, init_hook, on_dispose};
pub use crate::hosting::{HostedService, Phases, hosted, merge_failures, start_hosted, stop_hosted};
pub use crate::lazy::Handle;
pub use crate::lifecycle::{current, enter, start, start_one, with_scope};
pub use crate::now::{CollectedNow, GetNow, RecipeNow, StrategyNow, get};
pub use crate::outputs::{
    DynFactoryOutput, FactoryError, FactoryOutput, Shareable, SharedField, TakesArgs, TakesInner, TransientDynOutput,
    factory_now, factory_result, registered, registered_arc, registered_dyn_arc, tagged, token, transient_dyn_box,
};
pub use crate::provide::{Factory, Injectable, Produces, Recipe, Sealed};
pub use crate::registry::*;
pub use crate::resolve::{Resolving, resolving};
pub use crate::slot::{Creation, Once, Pending, Slot, Starts, TypeSlots, once};
pub use crate::token::Carries;
pub use crate::{
    Assisted, AssistedFactory, AssistedSig, BoxError, Container, DisposeError, Error, Lazy, Outcome, Provide, Provider,
    Result, Scope, ScopeFactory, Tagged, Token,
};
pub use tokio::time::Instant;
