package dev.hutch.layer;

class OverlayDriverContractTest extends LayerDriverContract {
    @Override
    LayerDriver driver() { return new OverlayDriver(); }
}
