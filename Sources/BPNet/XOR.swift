import BPTensor

public enum DataSets {
    /// XOR's four rows (SPEC §8): X = [[0, 0], [0, 1], [1, 0], [1, 1]], y = [[0], [1], [1], [0]].
    public static func xor() -> (X: Tensor, y: Tensor) {
        (Tensor(shape: [4, 2], data: [0, 0, 0, 1, 1, 0, 1, 1]), Tensor(shape: [4, 1], data: [0, 1, 1, 0]))
    }
}
