package dev.hutch.layer;

class AufsDriverContractTest extends LayerDriverContract {
    @Override
    LayerDriver driver() { return new AufsDriver(); }
}
