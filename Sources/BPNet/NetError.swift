import BPTensor
import Foundation

/// What can go wrong building and training networks; the language adds the location.
public enum NetError: Error, Equatable {
    /// A loss given a prediction and targets of different shapes.
    case lossShapes(loss: String, yhat: [Int], y: [Int])
    /// Class labels that are not whole numbers in [0, classes).
    case badLabel(loss: String, value: Double, classes: Int)
    case hingeLabels(value: Double)
    case inputShape(layer: String, expected: Int, found: [Int])
    case mlpSizes([Int])
    case trainShapes(x: [Int], y: [Int])
    case emptyData
    /// A diagnostic given a model without a dense layer.
    case noDenseLayer

    public var message: String {
        switch self {
        case .lossShapes(let loss, let yhat, let y):
            var text = "\(loss)(): the prediction has shape \(describeShape(yhat)) but the targets have shape \(describeShape(y))"
            if yhat.count == 2, y.count == 1, yhat[0] == y[0], yhat[1] == 1 {
                text += " (they would broadcast to (\(y[0]),\(y[0]))); make y a column with reshape(y, -1, 1)"
            } else if y.count == 2, yhat.count == 1, y[0] == yhat[0], y[1] == 1 {
                text += " (they would broadcast to (\(yhat[0]),\(yhat[0]))); make the prediction a column with reshape(yhat, -1, 1)"
            } else {
                text += "; they must have the same shape"
            }
            return text
        case .badLabel(let loss, let value, let classes):
            return "\(loss)(): class labels must be whole numbers from 0 to \(classes - 1), found \(String(format: "%g", value))"
        case .hingeLabels(let value):
            return "hinge(): labels must be 0/1 or -1/1, found \(String(format: "%g", value))"
        case .inputShape(let layer, let expected, let found):
            return "\(layer) takes inputs of shape (n, \(expected)), found \(describeShape(found))"
        case .mlpSizes(let sizes):
            return "mlp() takes at least two layer sizes, each at least 1, found \(sizes)"
        case .trainShapes(let x, let y):
            return "train(): X has shape \(describeShape(x)) and y has shape \(describeShape(y)); they need the same number of rows (samples), with X 2-d"
        case .emptyData:
            return "train(): X has no rows"
        case .noDenseLayer:
            return "the model has no dense layer to diagnose"
        }
    }
}
