// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice An ERC-20 for attack tests. When armed, its next transfer or
/// transferFrom first calls `target` with `payload` (a re-entry attempt) and
/// records the outcome; with returnFalse set it reports failure by returning
/// false instead of reverting.
contract MaliciousToken {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    address public target;
    bytes public payload;
    bool public armed;
    bool public returnFalse;
    uint256 public reentryAttempts;
    bool public lastReentryOk;
    bytes public lastReentryResult;

    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        return true;
    }

    function arm(address target_, bytes calldata payload_) external {
        target = target_;
        payload = payload_;
        armed = true;
    }

    function setReturnFalse(bool v) external {
        returnFalse = v;
    }

    /// Lets this contract act as a user of the target (e.g. to own a payout
    /// balance or a subscription).
    function execute(address to, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory ret) = to.call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _reenter();
        if (returnFalse) return false;
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        _reenter();
        if (returnFalse) return false;
        allowance[from][msg.sender] -= amount;
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        return true;
    }

    function _reenter() private {
        if (!armed) return;
        armed = false;
        reentryAttempts += 1;
        (bool ok, bytes memory ret) = target.call(payload);
        lastReentryOk = ok;
        lastReentryResult = ret;
    }
}
