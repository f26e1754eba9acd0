// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice The ERC-20 functions the Marketplace uses.
interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function balanceOf(address account) external view returns (uint256);
    function allowance(address owner, address spender) external view returns (uint256);
}

/// @notice ERC-20 transfers that also accept tokens returning nothing, and
/// revert on a false return or a failed call.
library SafeTransfer {
    error TokenTransferFailed(address token);

    function safeTransfer(IERC20 token, address to, uint256 amount) internal {
        _call(token, abi.encodeCall(IERC20.transfer, (to, amount)));
    }

    function safeTransferFrom(IERC20 token, address from, address to, uint256 amount) internal {
        _call(token, abi.encodeCall(IERC20.transferFrom, (from, to, amount)));
    }

    function _call(IERC20 token, bytes memory data) private {
        (bool ok, bytes memory ret) = address(token).call(data);
        if (!ok && ret.length > 0) {
            // Pass the token's own error on (e.g. its insufficient-allowance error).
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        if (!ok || (ret.length != 0 && (ret.length != 32 || !abi.decode(ret, (bool))))) {
            revert TokenTransferFailed(address(token));
        }
    }
}
