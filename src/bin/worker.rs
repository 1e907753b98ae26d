fn main() {
    loyalty_lens::worker::start();
}
