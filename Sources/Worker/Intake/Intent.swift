public import CatFee

/// A purchase intent that passed every local rule of contract.md: exactly the CatFee order request it becomes
/// (the message key is its `client_order_id`).
public typealias Intent = OrderRequest
