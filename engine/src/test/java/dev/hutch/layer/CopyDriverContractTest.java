package dev.hutch.layer;

class CopyDriverContractTest extends LayerDriverContract {
    @Override
    LayerDriver driver() { return new CopyDriver(); }
}
