fn main() {
    loyalty_lens::mount();
}
