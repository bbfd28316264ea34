//! Shapes at the edges: an empty container, a private one, one declared inside a function, a
//! service named `T` (the generated impls' own type parameters must not capture it),
//! const generics, `impl Trait` and pattern parameters in `#[inject]` functions.

use std::sync::Arc;

use injectq::{container, inject, injectable};

container! {
    pub struct Empty {}
}

#[injectable]
pub struct Buffer<const N: usize> {
    #[inject(default = [0; N])]
    bytes: [u8; N],
}

#[injectable]
struct Private;

#[injectable]
pub struct T;

container! {
    struct Named {
        singleton T;
    }
}

container! {
    struct Hidden {
        singleton Private;
        transient Buffer<16>;
    }
}

#[inject]
async fn sum(#[inject] buffer: Buffer<16>, extra: impl Into<u32> + Send, (a, b): (u32, u32)) -> u32 {
    buffer.bytes.len() as u32 + extra.into() + a + b
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let _ = Empty::new().create_scope();
        let hidden = Hidden::new();
        let _: Arc<Private> = hidden.resolve().await.unwrap();
        let _: Arc<T> = Named::new().resolve().await.unwrap();
        let _: Arc<T> = Named::new().create_scope().resolve().await.unwrap();
        assert_eq!(sum(&hidden, 1u8, (2, 3)).await.unwrap(), 22);

        container! {
            struct Local {
                singleton Private;
            }
        }
        let _: Arc<Private> = Local::new().resolve().await.unwrap();
    });
}
