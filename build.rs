//! Compiles proto/notes.proto, the gRPC service of examples/grpc.rs and tests/tonic.rs, with
//! protox (a protobuf compiler written in Rust) and tonic-prost-build: nothing to install.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=proto");
    let descriptors = protox::compile(["proto/notes.proto"], ["proto"])?;
    tonic_prost_build::configure().build_client(true).build_server(true).compile_fds(descriptors)?;
    Ok(())
}
