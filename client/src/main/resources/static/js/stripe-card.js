// With a Stripe publishable key: Stripe Elements takes the card and the form posts the token Stripe returns.
(function () {
  var form = document.getElementById('payment-form');
  if (!form || !window.Stripe) { return; }
  var stripe = Stripe(form.dataset.stripeKey);
  var card = stripe.elements().create('card');
  card.mount('#card-element');
  form.addEventListener('submit', function (event) {
    if (document.getElementById('token').value) { return; }
    event.preventDefault();
    stripe.createToken(card).then(function (result) {
      if (result.error) { alert(result.error.message); return; }
      document.getElementById('token').value = result.token.id;
      form.requestSubmit();
    });
  });
})();
