extension PromQL {
    /// The names of every function the parser accepts, sorted (for "did you mean" hints).
    public static var functionNames: [String] { FunctionSignature.all.map(\.name).sorted() }
}
